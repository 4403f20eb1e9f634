"""The CoLaboratory Board that the live-session browser tests meet in."""

from dataclasses import dataclass

from deliberation.models import Body, City, Membership, Process


@dataclass
class Board:
    body: Body
    process: Process
    facilitator: object
    member: object


def make_board(make_user) -> Board:
    """The board of a city, its work process, a facilitator and a member."""
    city = City.objects.create(slug="bb", name="Banská Bystrica")
    body = Body.objects.create(city=city, name="CoLaboratory Board", slug="board")
    process = Process.objects.create(city=city, slug="board-work", title="Board work")
    facilitator = make_user("facilitator@example.org", display_name="Fero Facilitator")
    member = make_user("member@example.org", display_name="Mia Member")
    Membership.objects.create(body=body, user=facilitator, role="facilitator")
    Membership.objects.create(body=body, user=member, role="member")
    return Board(body, process, facilitator, member)
