"""Demo live sessions: a CoLaboratory Board meeting that is live now (join code DEMO24, guests
welcome), the Board's next meeting (NEXT27, its invitation sent), an extraordinary meeting
that was cancelled (XTRA27), and a past public workshop on the City Park whose minutes are
published."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.demo import BOARD_MEMBERS
from accounts.models import User
from deliberation.models import Body, Process
from live import minutes
from live.guests import GuestIdentity
from live.models import Presence, Session
from live.services import agenda, ballots, invitations, questions, sessions, speakers
from live.services import minutes as record
from live.services.guard import Participant
from live.services.roll_call import record_presence
from voting import services as voting
from voting.models import Ballot


def seed() -> None:
    facilitator = User.objects.get(email="facilitator@spolu.example")
    if not Session.objects.filter(join_code="DEMO24").exists():
        seed_board_meeting(facilitator)
    if not Session.objects.filter(join_code="PARK25").exists():
        seed_park_workshop(User.objects.get(email="staff@spolu.example"))
    if not Session.objects.filter(join_code="NEXT27").exists():
        seed_next_board_meeting(facilitator)
    if not Session.objects.filter(join_code="XTRA27").exists():
        seed_cancelled_meeting(facilitator)


def seed_next_board_meeting(facilitator: User) -> None:
    """The Board's next monthly meeting, in two weeks at 17:00, its invitation sent to the
    members and to the followers of Green Settlements."""
    board = Body.objects.get(slug="colaboratory-board")
    day = timezone.localdate() + timedelta(days=14)
    starts_at = timezone.make_aware(datetime.combine(day, time(17, 0)))
    session = sessions.create_session(
        facilitator,
        body=board,
        process=Process.objects.get(slug="zelene-sidliska"),
        join_code="NEXT27",
        title="Zasadnutie CoLaboratory Board / Board meeting",
        description="Mesačné zasadnutie rady. / The board's monthly meeting.",
        format=Session.Format.HYBRID,
        place="Radnica, zasadačka č. 2 / Town hall, room 2",
        online_link="https://meet.example.org/colab-board",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        guests_allowed=True,
        facilitator=facilitator,
    )
    for title, minutes_ in (
        ("Otvorenie a kvórum / Opening and quorum", 5),
        ("Akčný plán: stav záväzkov / Action plan: where the commitments stand", 30),
        ("Zelené sídliská: výsledky hlasovania / Green Settlements: the vote's results", 25),
        ("Rôzne / Any other business", 10),
    ):
        agenda.add_agenda_item(facilitator, session, title=title, timebox_minutes=minutes_)
    invitations.send_invitations(facilitator, session)


def seed_cancelled_meeting(facilitator: User) -> None:
    """An extraordinary meeting that was called off, with the reason the members were given."""
    board = Body.objects.get(slug="colaboratory-board")
    day = timezone.localdate() + timedelta(days=5)
    starts_at = timezone.make_aware(datetime.combine(day, time(16, 0)))
    session = sessions.create_session(
        facilitator,
        body=board,
        join_code="XTRA27",
        title="Mimoriadne zasadnutie / Extraordinary meeting",
        format=Session.Format.IN_PERSON,
        place="Radnica, zasadačka č. 2 / Town hall, room 2",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        facilitator=facilitator,
    )
    agenda.add_agenda_item(
        facilitator, session, title="Rozpočet 2027 / The 2027 budget", timebox_minutes=45
    )
    invitations.send_invitations(facilitator, session)
    sessions.cancel_session(
        facilitator,
        session,
        "Návrh rozpočtu ešte nie je hotový; prerokujeme ho na riadnom zasadnutí. / "
        "The draft budget is not ready; we will discuss it at the regular meeting.",
    )


def seed_board_meeting(facilitator: User) -> None:
    board = Body.objects.get(slug="colaboratory-board")
    process = Process.objects.get(slug="zelene-sidliska")
    now = timezone.now()
    session = sessions.create_session(
        facilitator,
        body=board,
        join_code="DEMO24",
        title="Zasadnutie CoLaboratory Board / Board meeting",
        description="Mesačné zasadnutie rady. Hostia sú vítaní: pripojte sa kódom DEMO24.\n\n"
        "The board's monthly meeting. Guests are welcome: join with the code DEMO24.",
        format=Session.Format.HYBRID,
        place="Radnica, zasadačka č. 2 / Town hall, room 2",
        online_link="https://meet.example.org/colab-board",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(hours=2),
        guests_allowed=True,
        facilitator=facilitator,
    )
    proposals = list(
        process.proposals.filter(hidden=False)
        .exclude(state__in=["draft", "withdrawn"])
        .order_by("-supports_count", "pk")[:3]
    )
    agenda.add_agenda_item(
        facilitator,
        session,
        title="Zelené sídliská: návrhy z prvého kola / Green Settlements: first-round proposals",
        description="Prehľad najpodporovanejších návrhov. / The most supported proposals.",
        timebox_minutes=25,
        proposals=proposals,
    )
    shade = voting.create_ballot(
        facilitator,
        process,
        question="Odporúča rada pilotné zatienenie zastávok na Fončorde? / "
        "Does the board recommend a pilot of shaded bus stops in Fončorda?",
        method=Ballot.Method.YES_NO,
        body=board,
        # Everyone in the room votes, guests included.
        eligibility=Ballot.Eligibility.SESSION_GUESTS,
        results_visibility=Ballot.ResultsVisibility.LIVE,
    )
    shade_item = agenda.add_agenda_item(
        facilitator,
        session,
        title="Hlasovanie: zatienené zastávky / Vote: shaded bus stops",
        timebox_minutes=15,
        ballot=shade,
    )
    priorities = voting.create_ballot(
        facilitator,
        process,
        question="Poradie priorít na rok 2027 / Priorities for 2027",
        method=Ballot.Method.RANKED,
        body=board,
        eligibility=Ballot.Eligibility.BODY_MEMBERS,
        options=[
            {"label": "Stromy / Trees"},
            {"label": "Zadržiavanie vody / Rainwater"},
            {"label": "Tieň na ihriskách / Shade on playgrounds"},
        ],
    )
    agenda.add_agenda_item(
        facilitator,
        session,
        title="Priority na rok 2027 / Priorities for 2027",
        timebox_minutes=20,
        ballot=priorities,
    )
    sessions.start_session(facilitator, session)
    agenda.goto_item(facilitator, session, shade_item.pk)
    ballots.open_session_ballot(facilitator, session, shade.pk)
    members = [User.objects.get(email=email) for email, _n, _s in BOARD_MEMBERS[:5]]
    attendees = [Participant(m, sessions.join_session(session, user=m)) for m in members]
    by_code = {option.code: option.pk for option in shade.options.all()}
    for attendee, choice in zip(attendees[:4], ["yes", "yes", "no", "yes"], strict=True):
        key = f"demo-{attendee.user.pk}"
        ballots.cast_session_vote(attendee, shade, {"option": by_code[choice]}, key)
    guest = GuestIdentity(session.pk, "d" * 32, "Katka")
    guest_attendee = Participant(None, sessions.join_session(session, guest=guest, mode="online"))
    first = questions.ask_question(
        attendees[0], session, "Koľko zastávok by pilot zahŕňal? / How many stops in the pilot?"
    )
    questions.upvote_question(attendees[1], first)
    questions.upvote_question(guest_attendee, first)
    questions.ask_question(
        guest_attendee,
        session,
        "Kto sa bude starať o zeleň na strechách zastávok? / "
        "Who will look after the green roofs of the stops?",
    )
    speakers.raise_hand(attendees[2], session)
    # The roll call as a facilitator keeps it: the facilitator in the room, two members excused.
    record_presence(facilitator, session, facilitator, Presence.Status.IN_ROOM)
    for email in ("board.hudec@spolu.example", "board.marko@spolu.example"):
        record_presence(
            facilitator, session, User.objects.get(email=email), Presence.Status.EXCUSED
        )


def seed_park_workshop(staff: User) -> None:
    process = Process.objects.get(slug="mestsky-park")
    started = timezone.now() - timedelta(days=14)
    session = sessions.create_session(
        staff,
        process=process,
        join_code="PARK25",
        title="Verejný workshop: Mestský park / Public workshop: City Park",
        description="Spoločne sme mapovali, ako ľudia park používajú. / "
        "Together we mapped how people use the park.",
        format=Session.Format.IN_PERSON,
        place="Kultúrne centrum / Culture centre",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        guests_allowed=True,
        facilitator=staff,
    )
    welcome = agenda.add_agenda_item(staff, session, title="Úvod / Welcome", timebox_minutes=10)
    mapping = agenda.add_agenda_item(
        staff,
        session,
        title="Mapovanie parku / Mapping the park",
        timebox_minutes=60,
        proposals=list(process.proposals.filter(hidden=False).exclude(state="draft")[:3]),
    )
    sessions.start_session(staff, session)
    for n in range(6):
        guest = GuestIdentity(session.pk, f"{n:032x}", f"Host {n + 1}")
        sessions.join_session(session, guest=guest, mode="in_room")
    record.write_notes(staff, welcome, "Privítali sme 6 účastníkov. / We welcomed 6 participants.")
    agenda.goto_item(staff, session, mapping.pk)
    record.write_notes(
        staff,
        mapping,
        "Najviac chýba tieň pri ihrisku a pitná fontána. / "
        "Most missed: shade by the playground and a drinking fountain.",
    )
    record.add_action_item(
        staff,
        mapping,
        text="Zaslať mapu architektom / Send the map to the architects",
        owner="Mestský úrad / City office",
        due_on=(started + timedelta(days=30)).date(),
    )
    record.record_outcome(
        staff,
        mapping,
        outcome="Podnety poputujú do zadania súťaže. / The input goes into the design brief.",
        decision="noted",
    )
    sessions.close_session(staff, session)
    # The workshop happened two weeks ago: its amendment window is over, the minutes public.
    Session.objects.filter(pk=session.pk).update(
        started_at=started,
        closed_at=started + timedelta(hours=2),
        amendments_close_at=started + timedelta(days=3),
    )
    session.refresh_from_db()
    Session.objects.filter(pk=session.pk).update(minutes_markdown=minutes.assemble(session))
