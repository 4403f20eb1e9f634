"""Demo proposals with supports. a2's comments demo runs after seed_proposals()."""

from django.db.models import Count
from django.utils import timezone

from accounts.demo import BOARD_MEMBERS
from accounts.models import User
from core.markup import render_markdown
from deliberation.models import Category, Process
from proposals.models import Proposal, Support

RESIDENT = "resident@spolu.example"
FACILITATOR = "facilitator@spolu.example"
BOARD = [email for email, _name, _sector in BOARD_MEMBERS]

# process slug, author, category, title, body, state, supporters (how many of the board+roles)
PROPOSALS = [
    (
        "mestsky-park",
        RESIDENT,
        "Zeleň / Greenery",
        "Viac tieňa pri detskom ihrisku",
        "V lete sa na ihrisku nedá vydržať. Navrhujem vysadiť **listnaté stromy** a dočasne "
        "natiahnuť plachty nad pieskovisko.",
        "published",
        9,
    ),
    (
        "mestsky-park",
        BOARD[2],
        "Hry a šport / Play and sport",
        "Workoutové ihrisko pre mladých",
        "Tínedžeri nemajú v parku nič pre seba. Jednoduché workoutové prvky by pritiahli aj "
        "starších:\n\n- hrazdy\n- bradlá\n- lavičky na cvičenie",
        "published",
        6,
    ),
    (
        "mestsky-park",
        BOARD[7],
        "Bezpečnosť / Safety",
        "Better lighting on the river path",
        "The path along the river is dark after 6 pm in winter. *Low, warm* lights would make "
        "it safe without disturbing the birds.",
        "published",
        7,
    ),
    (
        "mestsky-park",
        FACILITATOR,
        "Zeleň / Greenery",
        "Kvetinová lúka namiesto trávnika",
        "Časť trávnika kosiť len dvakrát ročne. Ušetrí to peniaze a pomôže opeľovačom.",
        "published",
        4,
    ),
    (
        "mestsky-park",
        BOARD[4],
        None,
        "Pitná fontánka pri vstupe z Námestia SNP",
        "Jedna fontánka s pitnou vodou, ideálne aj s miskou pre psov.",
        "published",
        3,
    ),
    (
        "mestsky-park",
        BOARD[5],
        "Hry a šport / Play and sport",
        "A small open-air stage",
        "A modest wooden stage for school concerts and summer readings. Local businesses "
        "have offered to help with the cost.",
        "published",
        2,
    ),
    (
        "mestsky-park",
        BOARD[6],
        None,
        "Verejné toalety, ktoré sú otvorené",
        "Existujúce toalety sú väčšinu dňa zamknuté. Navrhujem otváracie hodiny od 7 do 21.",
        "withdrawn",
        0,
    ),
    (
        "zelene-sidliska",
        RESIDENT,
        "Stromy / Trees",
        "Stromy na parkoviskách na Fončorde",
        "Každé piate parkovacie miesto nahradiť stromom s dostatočne veľkou jamou.",
        "evaluating",
        8,
    ),
    (
        "zelene-sidliska",
        BOARD[3],
        "Voda / Water",
        "Dažďové záhrady pri panelákoch",
        "Zvody z odkvapov odviesť do plytkých dažďových záhrad namiesto kanalizácie.",
        "published",
        7,
    ),
    (
        "zelene-sidliska",
        BOARD[0],
        "Tieň / Shade",
        "Shade sails over bus stops in Sásová",
        "Most bus stops in Sásová have no shelter from the sun. Shade sails are cheap and "
        "quick to install.",
        "accepted",
        10,
    ),
    (
        "zelene-sidliska",
        BOARD[1],
        "Voda / Water",
        "Zavlažovanie zo studní",
        "Obnoviť staré studne na sídlisku a používať ich na polievanie zelene.",
        "rejected",
        3,
    ),
    (
        "zelene-sidliska",
        BOARD[7],
        "Stromy / Trees",
        "Adopt a tree",
        "Residents could *adopt* a young tree in front of their block and water it in dry "
        "weeks; the city would provide watering bags.",
        "published",
        5,
    ),
]

ANSWERS = {
    "Shade sails over bus stops in Sásová": (
        "Mesto plachty nainštaluje na 6 zastávkach do júna. / The city will install shade "
        "sails at 6 stops by June."
    ),
    "Zavlažovanie zo studní": (
        "Voda zo studní nie je vhodná na zavlažovanie (rozbor 2024). Hľadáme iné zdroje."
    ),
    "Stromy na parkoviskách na Fončorde": "Odbor životného prostredia posudzuje lokality.",
}


def seed_proposals() -> list[Proposal]:
    supporters = list(
        User.objects.filter(
            email__in=[*BOARD, RESIDENT, FACILITATOR, "staff@spolu.example"]
        ).order_by("email")
    )
    made = []
    for slug, author_email, category, title, body, state, n_supports in PROPOSALS:
        process = Process.objects.get(slug=slug)
        proposal, created = Proposal.objects.get_or_create(
            process=process,
            title=title,
            defaults={
                "author": User.objects.get(email=author_email),
                "category": Category.objects.filter(process=process, name=category).first(),
                "body": body,
                "body_html": render_markdown(body),
                "state": state,
                "published_at": timezone.now(),
                "answer": ANSWERS.get(title, ""),
                "answered_at": timezone.now() if title in ANSWERS else None,
            },
        )
        if created:
            for user in supporters[:n_supports]:
                Support.objects.get_or_create(proposal=proposal, user=user)
        made.append(proposal)
    # The counters follow the rows, whatever an earlier run left behind.
    for proposal in Proposal.objects.filter(pk__in=[p.pk for p in made]).annotate(
        n=Count("supports")
    ):
        if proposal.supports_count != proposal.n:
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=proposal.n)
    return made


def seed() -> None:
    from proposals.demo_comments import seed_comments

    seed_proposals()
    seed_comments()
