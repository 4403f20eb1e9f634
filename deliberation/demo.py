"""The demo city and its CoLaboratory Board."""

from accounts.demo import BOARD_MEMBERS
from accounts.models import User
from deliberation.models import Body, City, Membership


def seed() -> None:
    city, _ = City.objects.get_or_create(
        slug="banska-bystrica",
        defaults={
            "name": "Banská Bystrica",
            "country": "Slovensko",
            "website": "https://www.banskabystrica.sk/",
        },
    )
    board, _ = Body.objects.get_or_create(
        slug="colaboratory-board",
        defaults={
            "city": city,
            "name": "CoLaboratory Board",
            "description": "Medzisektorová poradná rada mesta pre otvorené vládnutie "
            "(samospráva, občianska spoločnosť, poslanci, akademici, študenti).",
        },
    )
    roles = {"facilitator@spolu.example": Membership.Role.FACILITATOR}
    for email, _name, _sector in BOARD_MEMBERS:
        roles[email] = Membership.Role.MEMBER
    roles[BOARD_MEMBERS[0][0]] = Membership.Role.CHAIR
    for email, role in roles.items():
        Membership.objects.get_or_create(
            body=board, user=User.objects.get(email=email), defaults={"role": role}
        )
