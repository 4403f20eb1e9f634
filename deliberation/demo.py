"""The demo city, its CoLaboratory Board and its participatory processes."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Sector, User
from deliberation.models import (
    Body,
    BodyGroup,
    Category,
    City,
    Invitation,
    Membership,
    Phase,
    Process,
)

# slug, title, summary, description, scope, threshold, current phase, categories
PROCESSES = [
    (
        "mestsky-park",
        "Mestský park / City Park",
        "Ako má vyzerať obnovený mestský park? Čo v ňom chýba a čo treba zachovať?",
        "Mesto pripravuje obnovu mestského parku. Kým architekti začnú kresliť, chceme "
        "vedieť, ako park používate vy: kde sa zdržiavate, čo vám chýba, čo vás obťažuje.\n\n"
        "The city is preparing the renewal of the City Park. Before the architects start "
        "drawing, tell us how you use the park and what it lacks.",
        "Mestský park, centrum",
        50,
        Phase.Kind.PROPOSALS,
        ["Zeleň / Greenery", "Hry a šport / Play and sport", "Bezpečnosť / Safety"],
    ),
    (
        "zelene-sidliska",
        "Zelené sídliská / Green Settlements",
        "Spoločne hľadáme opatrenia proti horúčavám a suchu na sídliskách.",
        "Sídliská Fončorda, Sásová a Radvaň sa v lete prehrievajú. Návrhy z prvého kola "
        "teraz spoločne posudzujeme.\n\n"
        "Housing estates overheat in summer; the proposals from the first round are now "
        "being discussed together.",
        "Fončorda, Sásová, Radvaň",
        30,
        Phase.Kind.DELIBERATION,
        ["Voda / Water", "Stromy / Trees", "Tieň / Shade"],
    ),
    (
        "ap-og-24-26",
        "Akčný plán OG 24-26 / AP OG 24-26 co-creation",
        "Spolutvorba akčného plánu otvoreného vládnutia na roky 2024 – 2026.",
        "Záväzky akčného plánu vznikajú spolu s CoLaboratory Board a verejnosťou.\n\n"
        "The Open Government action plan commitments are co-created with the CoLaboratory "
        "Board and the public.",
        "Celé mesto / Whole city",
        None,
        Phase.Kind.INFORMATION,
        ["Transparentnosť / Transparency", "Participácia / Participation"],
    ),
]

PHASE_ORDER = list(Phase.Kind.values)

Role = Membership.Role
# The Board as the action plan describes it: members in each of the eight groups of the
# co-creation. Some keep their name off the public page, as members may.
BOARD_SEATS = [
    ("board.kovacova@spolu.example", Role.CHAIR, BodyGroup.PUBLIC_ADMINISTRATION, True),
    ("board.balaz@spolu.example", Role.NOTE_TAKER, BodyGroup.PUBLIC_ADMINISTRATION, True),
    ("facilitator@spolu.example", Role.FACILITATOR, BodyGroup.PUBLIC_ADMINISTRATION, True),
    ("board.sykorova@spolu.example", Role.MEMBER, BodyGroup.CIVIL_SOCIETY, True),
    ("board.gaziova@spolu.example", Role.MEMBER, BodyGroup.ROMA, True),
    ("board.urban@spolu.example", Role.MEMBER, BodyGroup.COUNCIL, True),
    ("board.polak@spolu.example", Role.MEMBER, BodyGroup.COMMUNITY_LEADERS, False),
    ("board.marko@spolu.example", Role.MEMBER, BodyGroup.EXPERTS, True),
    ("board.lacko@spolu.example", Role.MEMBER, BodyGroup.STUDENTS, True),
    ("board.hudec@spolu.example", Role.MEMBER, BodyGroup.SPECIAL_NEEDS, False),
]


def seed_processes(city: City) -> None:
    # Dates are set relative to the first seeding, so a fresh demo shows each process
    # in its intended phase; later runs keep the existing dates (get_or_create).
    today = timezone.localdate()
    for slug, title, summary, description, scope, threshold, current, categories in PROCESSES:
        process, _ = Process.objects.get_or_create(
            slug=slug,
            defaults={
                "city": city,
                "title": title,
                "summary": summary,
                "description": description,
                "scope": scope,
                "support_threshold": threshold,
            },
        )
        at = PHASE_ORDER.index(current)
        for i, kind in enumerate(PHASE_ORDER):
            starts = today + timedelta(days=45 * (i - at) - 10)
            Phase.objects.get_or_create(
                process=process,
                kind=kind,
                defaults={"starts_on": starts, "ends_on": starts + timedelta(days=44)},
            )
        for name in categories:
            Category.objects.get_or_create(process=process, name=name)


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
    # The eighth group's member speaks for people with special needs; no other demo page needs
    # them, so they are made here rather than among accounts' demo people.
    demo_user("board.hudec@spolu.example", "Peter Hudec", Sector.RESIDENT)
    for email, role, group, name_shown in BOARD_SEATS:
        Membership.objects.get_or_create(
            body=board,
            user=User.objects.get(email=email),
            defaults={"role": role, "group": group, "name_shown": name_shown},
        )
    seed_membership_history(board)
    seed_processes(city)


def seed_membership_history(board: Body) -> None:
    """A former member (their seat ended, kept as history) and an invitation not yet answered,
    so the members page shows each of its lists."""
    former = demo_user("board.novak@spolu.example", "Ján Novák", Sector.CIVIL_SOCIETY)
    today = timezone.localdate()
    if not Membership.objects.filter(body=board, user=former).exists():
        seat = Membership.objects.create(
            body=board,
            user=former,
            role=Role.MEMBER,
            group=BodyGroup.CIVIL_SOCIETY,
            name_shown=True,
            ended_on=today - timedelta(days=200),
            end_reason="Odstúpil pre pracovné povinnosti / Stepped down for work reasons",
        )
        Membership.objects.filter(pk=seat.pk).update(joined_at=timezone.now() - timedelta(days=600))
    chair = User.objects.get(email="board.kovacova@spolu.example")
    Invitation.objects.get_or_create(
        body=board,
        email="nova.clenka@spolu.example",
        defaults={"role": Role.MEMBER, "group": BodyGroup.STUDENTS, "invited_by": chair},
    )
