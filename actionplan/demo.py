"""Demo: Banská Bystrica's AP OG 24-26 with its four priorities, commitments and milestones.

Runs after the other demo modules; it is skipped entirely once the plan exists, so running the
seed again changes nothing. Everything goes through actionplan.services, as staff would.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from actionplan import plan_documents, services
from actionplan.models import ActionPlan, Priority

PLAN_SLUG = "ap-og-24-26"
CITY_PARK_PROPOSAL = "Viac tieňa pri detskom ihrisku"

PRIORITIES = [
    "Pokračovať v procese inovácie otvoreného vládnutia",
    "Posilniť kapacity otvoreného vládnutia v meste",
    "Systematicky uplatňovať princíp spolupráce vo vnútri aj navonok úradu",
    "Podporovať depolarizáciu v meste",
]

# priority, title, lead, OGP values, status, problem, milestones (title, days from today,
# status, progress), progress updates. The commitment marked "park" comes from the City Park
# proposal; the one marked "session" from the demo session's outcome (when there is one).
COMMITMENTS = [
    (
        1,
        "Participatívny rozpočet s online hlasovaním",
        "Kancelária primátora",
        ["participation", "technology"],
        "in_progress",
        "O časti rozpočtu rozhodovali obyvatelia len na papieri a len v jednom termíne.",
        [
            ("Pravidlá participatívneho rozpočtu schválené", -300, "completed", 100),
            ("Prvé online hlasovanie", -40, "completed", 100),
            ("Vyhodnotenie a správa pre verejnosť", 45, "in_progress", 40),
        ],
        ["Hlasovalo 2 140 obyvateľov; výsledky sú zverejnené."],
        "",
    ),
    (
        1,
        "Mestský park: tieň a zeleň podľa návrhov obyvateľov",
        "Odbor životného prostredia",
        ["participation", "accountability"],
        "in_progress",
        "Na detskom ihrisku v parku chýba v lete tieň.",
        [
            ("Výber drevín s krajinným architektom", -60, "completed", 100),
            ("Výsadba stromov pri ihrisku", 20, "in_progress", 60),
        ],
        ["Dreviny sú vybrané, výsadba začne na jeseň."],
        "park",
    ),
    (
        2,
        "Vzdelávanie zamestnancov úradu v otvorenom vládnutí",
        "Oddelenie personálne",
        ["accountability"],
        "in_progress",
        "Zamestnanci úradu nepoznajú nástroje participácie a otvorených dát.",
        [
            ("Vzdelávací program pripravený", -200, "completed", 100),
            ("Prvých 40 zamestnancov vyškolených", -20, "in_progress", 70),
            ("Druhý beh kurzu", 120, "not_started", 0),
        ],
        [],
        "",
    ),
    (
        2,
        "Otvorené dáta o rozpočte a zmluvách",
        "Oddelenie informatiky",
        ["transparency", "technology"],
        "delayed",
        "Údaje o rozpočte sú len v PDF a ťažko sa porovnávajú.",
        [
            ("Katalóg dátových súborov", -150, "completed", 100),
            ("Rozpočet v strojovo čitateľnej podobe", -10, "delayed", 30),
        ],
        ["Dodávateľ systému posunul export; nový termín dohodnutý."],
        "",
    ),
    (
        3,
        "CoLaboratory Board ako stála platforma spolupráce",
        "Kancelária primátora",
        ["participation"],
        "in_progress",
        "Spolupráca s mimovládnymi organizáciami závisela od jednotlivých ľudí.",
        [
            ("Štatút Boardu prijatý", -250, "completed", 100),
            ("Štvrťročné verejné zasadnutia", 60, "in_progress", 50),
        ],
        [],
        "session",
    ),
    (
        3,
        "Spoločné plánovanie s mestskými časťami",
        "Útvar hlavného architekta",
        ["participation", "accountability"],
        "not_started",
        "Výbory mestských častí sa o plánoch dozvedajú neskoro.",
        [("Pilotné plánovacie stretnutie na Fončorde", 90, "not_started", 0)],
        [],
        "",
    ),
    (
        4,
        "Dialógy naprieč názormi",
        "Komunitné centrum",
        ["participation"],
        "in_progress",
        "Spory o témy mesta sa presúvajú na sociálne siete a vyostrujú sa.",
        [
            ("Metodika moderovaných dialógov", -90, "completed", 100),
            ("Šesť dialógov v mestských častiach", 150, "in_progress", 35),
        ],
        ["Prebehli dva dialógy, o dopravu a o park."],
        "",
    ),
    (
        4,
        "Pravidlá slušnej diskusie na platforme Spolu",
        "Kancelária primátora",
        ["transparency", "participation"],
        "completed",
        "Diskusie bez pravidiel odrádzajú ľudí od účasti.",
        [("Pravidlá zverejnené a moderácia spustená", -120, "completed", 100)],
        [],
        "",
    ),
]


def _source_for(kind: str, staff: User, commitment) -> None:
    if kind == "park":
        from proposals.models import Proposal

        proposal = Proposal.objects.filter(
            title=CITY_PARK_PROPOSAL, process__slug="mestsky-park"
        ).first()
        if proposal is not None and proposal.state in services.PROMOTABLE_PROPOSAL_STATES:
            services.promote_proposal(
                staff,
                proposal,
                justification="Najpodporovanejší návrh v procese Mestský park.",
                commitment=commitment,
            )
    elif kind == "session":
        from live.models import AgendaItem

        item = AgendaItem.objects.exclude(outcome="").order_by("pk").first()
        if item is not None:
            services.promote_agenda_item(
                staff,
                item,
                justification="Board sa na zasadnutí dohodol na stálej spolupráci.",
                commitment=commitment,
            )


def _link_cocreation(staff: User, plan: ActionPlan) -> None:
    """The demo's processes and board co-created the plan: its statistics count them."""
    from deliberation.models import Body, Process

    if plan.processes.exists() or plan.bodies.exists():
        return
    processes = list(Process.objects.filter(city__slug="banska-bystrica"))
    processes = processes or list(Process.objects.all())
    bodies = list(Body.objects.filter(slug="colaboratory-board"))
    if processes or bodies:
        services.update_plan(staff, plan, processes=processes, bodies=bodies)


ENDORSERS = [
    ("Zuzana Horváthová", "Rómska občianska iniciatíva / Roma Civic Initiative", date(2024, 9, 12)),
    ("Martin Kováč", "Nadácia Zelená Bystrica / Green Bystrica Foundation", date(2024, 9, 20)),
    ("Lucia Baranová", "Študentská rada UMB / Student Council", date(2024, 10, 2)),
]


def _plan_documents(staff: User, monitor: User, plan: ActionPlan) -> None:
    """Endorsers and the monitor's initial report, as the OGP template lists them."""
    if plan.endorsements.exists() or plan.monitor_reports.exists():
        return
    for name, organisation, endorsed_on in ENDORSERS:
        plan_documents.add_endorsement(
            staff, plan, name=name, organisation=organisation, endorsed_on=endorsed_on
        )
    plan_documents.publish_monitor_report(
        monitor,
        plan,
        kind="initial",
        published_on=date(2025, 3, 14),
        text=(
            "Úvodná správa nezávislého hodnotiteľa / The independent monitor's initial report\n\n"
            "Akčný plán vznikol v otvorenom procese: 14 verejných stretnutí a 212 návrhov "
            "obyvateľov. Odporúčame zapojiť viac mladých ľudí a zverejňovať priebeh záväzkov "
            "každý štvrťrok.\n\n"
            "The plan was co-created openly: 14 public meetings and 212 residents' proposals. "
            "We recommend involving more young people and reporting progress every quarter."
        ),
    )


def seed() -> None:
    staff = User.objects.get(email="staff@spolu.example")
    existing = ActionPlan.objects.filter(slug=PLAN_SLUG).first()
    if existing is not None:
        _link_cocreation(staff, existing)
        # Only link the session outcome if the live-session demo appeared since the last run.
        board = existing.commitments.filter(title=COMMITMENTS[4][1]).first()
        if board is not None and not board.sources.filter(agenda_item__isnull=False).exists():
            _source_for("session", staff, board)
        _plan_documents(staff, User.objects.get(email="monitor@spolu.example"), existing)
        return
    monitor = User.objects.get(email="monitor@spolu.example")
    plan = ActionPlan.objects.create(
        title="Akčný plán otvoreného vládnutia mesta Banská Bystrica 2024 – 2026 (AP OG 24-26)",
        slug=PLAN_SLUG,
        period_start=date(2024, 9, 1),
        period_end=date(2026, 12, 31),
        submitted_on=date(2024, 8, 30),
        lead_institutions="Mesto Banská Bystrica, Kancelária primátora",
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    priorities = {
        n: Priority.objects.create(plan=plan, number=n, title=title)
        for n, title in enumerate(PRIORITIES, start=1)
    }
    _link_cocreation(staff, plan)
    today = timezone.localdate()
    first = None
    for number, title, lead, values, status, problem, milestones, updates, source in COMMITMENTS:
        commitment = services.create_commitment(
            staff,
            plan,
            title=title,
            priority=priorities[number],
            problem=problem,
            lead_institution=lead,
            ogp_values=values,
            status=status,
            starts_on=min(date(2024, 10, 1), today - timedelta(days=400)),
            ends_on=date(2026, 12, 31),
            is_published=True,
        )
        first = first or commitment
        made = [
            services.add_milestone(
                staff,
                commitment,
                title=m_title,
                due_on=today + timedelta(days=days),
                status=m_status,
                progress=progress,
                owner=staff,
            )
            for m_title, days, m_status, progress in milestones
        ]
        for text in updates:
            services.post_progress_update(staff, commitment, text=text, milestone=made[-1])
        _source_for(source, staff, commitment)
    services.write_assessment(
        monitor,
        first,
        kind="initial",
        completion="substantial",
        early_results="modest",
        text=(
            "Záväzok je jasne formulovaný a prvé hlasovanie prebehlo podľa plánu. Odporúčame "
            "zverejniť aj údaje o účasti podľa mestských častí."
        ),
    )
    _plan_documents(staff, monitor, plan)
