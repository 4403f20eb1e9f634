"""Demo ballots for City Park: a closed participatory budget with 40 votes and a paper
round, an open yes/no ballot and an open ranked-choice ballot. Every vote goes through
`cast_vote`, so the tallies and hash chains are real. Running it again changes nothing."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.demo import DEMO_PASSWORD
from accounts.models import Sector, User
from deliberation.models import Process
from voting import services
from voting.models import Ballot

VOTER_SECTORS = [
    Sector.RESIDENT,
    Sector.STUDENT,
    Sector.CIVIL_SOCIETY,
    Sector.BUSINESS,
    Sector.PUBLIC_ADMINISTRATION,
]

# (label, cost in euros)
PARK_PROJECTS = [
    ("Pitná fontána pri detskom ihrisku / Drinking fountain by the playground", 8_000),
    ("Nové lavičky s tieňom / Shaded benches", 15_000),
    ("Osvetlenie hlavného chodníka / Lighting on the main path", 40_000),
    ("Komunitná záhrada / Community garden", 25_000),
    ("Workoutové ihrisko / Outdoor gym", 30_000),
    ("Obnova jazierka / Pond restoration", 60_000),
    ("Verejné toalety / Public toilets", 45_000),
    ("Letné kino / Open-air cinema", 20_000),
]
PARK_BUDGET = 100_000
BUDGET_QUESTION = "Participatívny rozpočet 2025: ktoré projekty v Mestskom parku? / Which projects?"
YES_NO_QUESTION = "Uzavrieť park pre autá cez víkendy? / Close the park to cars at weekends?"
RANKED_QUESTION = "Čo postaviť v parku ako prvé? / What should the park get first?"
RANKED_OPTIONS = [
    "Kaviareň / Café",
    "Pódium pre koncerty / Concert stage",
    "Výbeh pre psov / Dog park",
    "Čitáreň pod holým nebom / Open-air reading room",
]


def demo_voters() -> list[User]:
    """voter01…voter40@spolu.example, eight in each of five sectors; password DEMO_PASSWORD."""
    password = make_password(DEMO_PASSWORD)  # hashed once: forty hashes would take seconds
    voters = []
    for n in range(1, 41):
        email = f"voter{n:02d}@spolu.example"
        voter, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": f"Hlasujúci {n:02d}",
                "password": password,
                "sector": VOTER_SECTORS[(n - 1) % len(VOTER_SECTORS)],
                "preferred_language": "sk",
            },
        )
        if created:
            EmailAddress.objects.create(user=voter, email=email, verified=True, primary=True)
        voters.append(voter)
    return voters


def _ballot(staff, process, question: str, **fields) -> tuple[Ballot, bool]:
    existing = Ballot.objects.filter(process=process, question=question).first()
    if existing:
        return existing, False
    ballot = services.create_ballot(staff, process, question=question, **fields)
    return services.open_ballot(staff, ballot), True


def seed_budget(staff, process, voters, rng: random.Random) -> None:
    ballot, created = _ballot(
        staff,
        process,
        BUDGET_QUESTION,
        method=Ballot.Method.BUDGET,
        budget_total=PARK_BUDGET,
        secrecy=Ballot.Secrecy.SECRET,
        results_visibility=Ballot.ResultsVisibility.AFTER_CLOSE,
        description="Mesto vyčlenilo 100 000 € na projekty, ktoré navrhli obyvatelia.",
        options=[{"label": label, "cost": cost} for label, cost in PARK_PROJECTS],
    )
    if not created:
        return
    options = list(ballot.options.all())
    # Voters lean towards cheap, visible projects, as participatory budgets tend to show.
    weights = [9, 8, 4, 6, 5, 3, 4, 5]
    for n, voter in enumerate(voters):
        picks, spent = [], 0
        for option in rng.choices(options, weights=weights, k=8):
            if option.pk not in picks and spent + option.cost <= PARK_BUDGET:
                picks.append(option.pk)
                spent += option.cost
        services.cast_vote(ballot, voter, {"options": picks}, f"demo-budget-{n}")
    paper = {str(o.pk): c for o, c in zip(options, [7, 6, 2, 4, 3, 1, 2, 3], strict=True)}
    services.enter_paper_count(
        staff,
        ballot,
        counts=paper,
        ballots_cast=12,
        note="Papierové hlasovanie v Radnici / Paper ballots at the town hall",
    )
    services.close_ballot(staff, ballot)


def seed_yes_no(staff, process, voters) -> None:
    ballot, created = _ballot(
        staff,
        process,
        YES_NO_QUESTION,
        method=Ballot.Method.YES_NO,
        quorum=20,
        majority=Ballot.Majority.SIMPLE,
        results_visibility=Ballot.ResultsVisibility.LIVE,
    )
    if not created:
        return
    yes, no, abstain = list(ballot.options.all())
    pattern = [yes, yes, no, yes, abstain, yes, no, yes, yes, no, yes, yes]
    for n, (voter, option) in enumerate(zip(voters, pattern, strict=False)):
        services.cast_vote(ballot, voter, {"option": option.pk}, f"demo-yes-no-{n}")


def seed_ranked(staff, process, voters) -> None:
    ballot, created = _ballot(
        staff,
        process,
        RANKED_QUESTION,
        method=Ballot.Method.RANKED,
        results_visibility=Ballot.ResultsVisibility.AFTER_CLOSE,
        options=[{"label": label} for label in RANKED_OPTIONS],
    )
    if not created:
        return
    cafe, stage, dogs, reading = (o.pk for o in ballot.options.all())
    rankings = [
        [cafe, reading],
        [stage, cafe],
        [dogs, reading, cafe],
        [reading, cafe],
        [cafe, stage],
        [stage, dogs],
        [dogs, cafe],
        [reading, stage, cafe],
        [cafe],
        [stage, reading],
    ]
    for n, (voter, ranking) in enumerate(zip(voters[20:], rankings, strict=False)):
        services.cast_vote(ballot, voter, {"ranking": ranking}, f"demo-ranked-{n}")


def seed() -> None:
    process = Process.objects.get(slug="mestsky-park")
    staff = User.objects.get(email="staff@spolu.example")
    voters = demo_voters()
    seed_budget(staff, process, voters, random.Random(2025))
    seed_yes_no(staff, process, voters)
    seed_ranked(staff, process, voters)
