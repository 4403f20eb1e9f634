"""The demo's conversation about City Park: 90 synthetic participants in three camps (a quiet
green park, a lively park of events, a park easy to reach by car) who share some common
ground, so the map shows groups at once. Every vote goes through `cast_opinion`. Running it
again changes nothing."""

from accounts.models import Sector, User
from deliberation.models import Process
from opinions import services
from opinions.models import Conversation
from opinions.synthetic import planted_votes

QUESTION = "Aký má byť Mestský park o desať rokov? / What should City Park be in ten years?"
# (stance of the quiet, lively and by-car camps, statement)
STATEMENTS = [
    (
        (1, -1, 0),
        "Park má zostať tichým miestom na oddych. / The park should stay a quiet place to rest.",
    ),
    (
        (-1, 1, -1),
        "Večerné koncerty by park oživili. / Evening concerts would bring the park to life.",
    ),
    ((-1, 1, 0), "Stánky s jedlom patria do parku. / Food stalls belong in the park."),
    (
        (1, -1, 0),
        "Hlavný trávnik by sa nemal prenajímať na akcie. / "
        "The main lawn should not be rented out for events.",
    ),
    ((-1, 0, 1), "Pri parku treba viac parkovacích miest. / The park needs more parking nearby."),
    (
        (1, 0, -1),
        "Cez víkendy má byť okolie parku bez áut. / "
        "The streets around the park should be car-free at weekends.",
    ),
    (
        (-1, -1, 1),
        "Staršie osoby potrebujú parkovanie pri vchode. / "
        "Older people need parking by the entrance.",
    ),
    (
        (-1, 1, -1),
        "Festival by mal byť v parku každé leto. / "
        "A festival should take over the park every summer.",
    ),
    ((1, 1, 1), "V parku treba vysadiť viac stromov. / The park needs more trees."),
    (
        (1, 1, 1),
        "Verejné toalety musia byť čisté a otvorené. / Public toilets must be clean and open.",
    ),
    ((1, 1, 1), "Chodníky treba v noci lepšie osvetliť. / Paths need better lighting at night."),
]
CAMP_SIZES = [38, 32, 20]
SECTORS = [Sector.RESIDENT, Sector.STUDENT, Sector.CIVIL_SOCIETY, Sector.BUSINESS]


def participants(count: int) -> list[User]:
    """mapa01…mapa90@spolu.example: accounts that never sign in (no usable password)."""
    people = []
    for n in range(1, count + 1):
        person, created = User.objects.get_or_create(
            email=f"mapa{n:02d}@spolu.example",
            defaults={
                "display_name": f"Účastník {n:02d}",
                "sector": SECTORS[n % len(SECTORS)],
                "preferred_language": "sk",
            },
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        people.append(person)
    return people


def seed() -> None:
    process = Process.objects.filter(slug="mestsky-park").first()
    staff = User.objects.filter(email="staff@spolu.example").first()
    if process is None or staff is None:
        return
    if Conversation.objects.filter(process=process, question=QUESTION).exists():
        return
    conversation = services.open_conversation(
        staff, process, question=QUESTION, seeds=[text for _stances, text in STATEMENTS]
    )
    statements = list(conversation.statements.order_by("pk"))
    people = participants(sum(CAMP_SIZES))
    stances = [[row[0][camp] for row in STATEMENTS] for camp in range(len(CAMP_SIZES))]
    votes = planted_votes(
        stances,
        CAMP_SIZES,
        seen=0.75,
        noise=0.12,
        seed=2026,
        participants=range(len(people)),
        statements=range(len(statements)),
    )
    for person, statement, value in votes:
        services.cast_opinion(people[person], conversation, statements[statement].pk, value)
