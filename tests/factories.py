"""What tests are made of, in one place: factories that build the city, its processes, the
Board, proposals, ballots and sessions, through the services wherever a service exists, so
a test starts from states the product can reach.

The personas (resident, neighbour, outsider, staff, monitor, and the Board's facilitator,
chair, member and observer) are fixtures in tests/conftest.py, built by these factories.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from deliberation.models import Body, Category, City, Membership, Phase, Process
from live.guests import GuestIdentity
from live.models import Session
from live.services import agenda, sessions
from live.services.guard import Participant
from proposals.models import Proposal
from voting import services as voting
from voting.models import Ballot


def make_user(email: str, password: str | None = DEMO_PASSWORD, **fields) -> User:
    """A signed-up person whose e-mail address is verified, so they can log in."""
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def voters(count: int) -> list[User]:
    """Signed-up people who can vote (no password hashing: they never sign in)."""
    return [
        User.objects.create_user(email=f"voter{n}@example.org", password=None) for n in range(count)
    ]


# --- The city and its processes ---------------------------------------------------------------


def city() -> City:
    return City.objects.get_or_create(slug="bb", defaults={"name": "Banská Bystrica"})[0]


def make_process(slug: str = "city-park", current: str | None = "proposals", **fields) -> Process:
    """A process with every phase, the `current` one covering today (None: all are past)."""
    process = Process.objects.create(
        city=city(), slug=slug, title=fields.pop("title", "City Park"), **fields
    )
    today = timezone.localdate()
    kinds = list(Phase.Kind.values)
    at = kinds.index(current) if current else len(kinds)
    for i, kind in enumerate(kinds):
        start = today + timedelta(days=30 * (i - at) - (0 if i != at else 5))
        Phase.objects.create(
            process=process, kind=kind, starts_on=start, ends_on=start + timedelta(days=20)
        )
    Category.objects.create(process=process, name="Greenery")
    return process


def published_proposal(process: Process, author, title: str = "More benches") -> Proposal:
    """A published proposal written straight to the database: for tests of what happens to
    a proposal afterwards, whatever phase the process is in now."""
    return Proposal.objects.create(
        process=process,
        author=author,
        title=title,
        body="Benches along the river.",
        body_html="<p>Benches along the river.</p>",
        state=Proposal.State.PUBLISHED,
        published_at=timezone.now(),
    )


# --- The Board ---------------------------------------------------------------------------------


def make_body(slug: str = "board", name: str = "CoLaboratory Board") -> Body:
    return Body.objects.create(city=city(), name=name, slug=slug)


def with_role(user: User, body: Body, role: str) -> User:
    Membership.objects.create(body=body, user=user, role=role)
    return user


# --- Ballots -----------------------------------------------------------------------------------


def make_ballot(
    by: User,
    process: Process,
    method: str = "single",
    labels=("Pond", "Playground", "Benches"),
    open_: bool = True,
    costs=None,
    question: str = "What first?",
    **fields,
) -> Ballot:
    """A ballot made (and, unless `open_` is false, opened) by `by` through the services."""
    options = [{"label": label} for label in labels]
    if costs:
        for spec, cost in zip(options, costs, strict=True):
            spec["cost"] = cost
    ballot = voting.create_ballot(
        by, process, question=question, method=method, options=options, **fields
    )
    if open_:
        ballot = voting.open_ballot(by, ballot)
    return ballot


def option_ids(ballot: Ballot) -> list[int]:
    return list(ballot.options.values_list("pk", flat=True))


# --- Live sessions -----------------------------------------------------------------------------


def make_session(facilitator: User, body: Body, join_code: str = "BRD234", **fields) -> Session:
    """A scheduled Board meeting that admits guests, with a welcome and a benches item."""
    fields.setdefault("title", "Board meeting")
    fields.setdefault("starts_at", timezone.now() + timedelta(hours=1))
    fields.setdefault("guests_allowed", True)
    session = sessions.create_session(
        facilitator, body=body, join_code=join_code, facilitator=facilitator, **fields
    )
    agenda.add_agenda_item(facilitator, session, title="Welcome", timebox_minutes=5)
    agenda.add_agenda_item(facilitator, session, title="Park benches", timebox_minutes=20)
    return session


def make_session_ballot(session: Session, facilitator: User, process: Process, **fields) -> Ballot:
    """A ballot (yes/no unless `method` says) on a new agenda item of the session (in draft)."""
    fields.setdefault("eligibility", Ballot.Eligibility.SIGNED_IN)
    fields.setdefault("results_visibility", Ballot.ResultsVisibility.LIVE)
    fields.setdefault("method", Ballot.Method.YES_NO)
    ballot = voting.create_ballot(
        facilitator, process, question="Build the benches?", body=session.body, **fields
    )
    agenda.add_agenda_item(facilitator, session, title="Decide the benches", ballot=ballot)
    return ballot


def guest_of(session: Session, nickname: str = "Gina", guest_id: str = "a" * 32) -> GuestIdentity:
    return GuestIdentity(session.pk, guest_id, nickname)


def attend(session: Session, *, user=None, guest=None, mode="in_room") -> Participant:
    attendance = sessions.join_session(session, user=user, guest=guest, mode=mode)
    return Participant(user, attendance)


def refreshed(session: Session) -> Session:
    return Session.objects.get(pk=session.pk)


def event_types(session: Session) -> list[str]:
    """The types of the session stream's durable events, in seq order."""
    from realtime.models import StreamEvent

    return list(
        StreamEvent.objects.filter(stream=session.stream)
        .order_by("seq")
        .values_list("type", flat=True)
    )


def support(proposal: Proposal, user) -> None:
    """A support written straight to the database (proposals.services checks the phase)."""
    from proposals.models import Support

    Support.objects.create(proposal=proposal, user=user)


def vote_in_session(actor: Participant, session: Session, ballot_id, wire_choice, key=None):
    """Vote as a session's socket does: the ballot found on the agenda, the choice in wire
    form (["yes"], or option ids as strings) translated by voting.stream."""
    from live.services import ballots
    from voting import stream as ballot_stream

    ballot, options = ballots.session_ballot_with_options(session, ballot_id)
    choice = ballot_stream.choice_from_wire(ballot, wire_choice, options)
    return ballots.cast_session_vote(actor, ballot, choice, key)


def paper_count_in_session(user, session: Session, ballot_id, *, counts: dict, **fields):
    """A paper round entered from the console: counts by wire id ("yes", or an option id)."""
    from live.services import ballots
    from voting import stream as ballot_stream

    ballot = ballots.session_ballot(session, ballot_id)
    by_wire = {wire: pk for pk, wire in ballot_stream.wire_ids(ballot).items()}
    by_option = {by_wire[str(wire)]: n for wire, n in counts.items()}
    return ballots.enter_session_paper_count(user, session, ballot_id, counts=by_option, **fields)


SEED_STATEMENTS = (
    "The park needs more trees.",
    "A café would make the park livelier.",
    "Cars should not park on the grass.",
)


def make_conversation(opened_by: User, process: Process, *, seeds=SEED_STATEMENTS, **fields):
    """An open conversation of the process with its seed statements, through the service."""
    from opinions.services import open_conversation

    fields.setdefault("question", "What should the City Park become?")
    return open_conversation(opened_by, process, seeds=list(seeds), **fields)


def opinion_votes(conversation, votes) -> None:
    """Votes written straight to the database: (user, statement, value) triples, for tests of
    what is made of them."""
    from opinions.models import OpinionVote

    OpinionVote.objects.bulk_create(
        OpinionVote(conversation=conversation, statement=s, voter=u, value=v) for u, s, v in votes
    )


def planted_conversation(opened_by: User, process: Process, stances, sizes, **fields):
    """A conversation whose statements get the votes of planted camps (opinions.synthetic):
    one statement per column of `stances`, `sizes[c]` voters in camp c, who voted on every
    statement. Returns the conversation and the voters, camp after camp."""
    from opinions.synthetic import planted_votes

    seeds = [f"Statement {j + 1}" for j in range(len(stances[0]))]
    conversation = make_conversation(opened_by, process, seeds=seeds, **fields)
    people = voters(sum(sizes))
    statements = list(conversation.statements.order_by("pk"))
    votes = planted_votes(
        stances,
        sizes,
        seen=1.0,
        noise=0.0,
        participants=range(len(people)),
        statements=range(len(statements)),
    )
    opinion_votes(conversation, [(people[p], statements[s], v) for p, s, v in votes])
    return conversation, people
