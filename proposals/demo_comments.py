"""Demo discussion: comments with stances and replies on the demo proposals, and one reported
comment waiting in the moderation queue. Idempotent: a comment is matched by its author and
text, and the counters are recomputed from the rows.
"""

from django.db.models import Count, Q

from accounts.demo import BOARD_MEMBERS
from accounts.models import User
from core.markup import render_markdown
from proposals import moderation
from proposals.models import Comment, Proposal, Report, Stance

BOARD = [email for email, _name, _sector in BOARD_MEMBERS]
RESIDENT = "resident@spolu.example"
FACILITATOR = "facilitator@spolu.example"
STAFF = "staff@spolu.example"

# proposal title, author, stance, text, replies [(author, stance, text)]
THREADS = [
    (
        "Viac tieňa pri detskom ihrisku",
        BOARD[0],
        Stance.FOR,
        "Súhlasím. Minulé leto bolo pieskovisko cez obed úplne prázdne.",
        [
            (
                FACILITATOR,
                Stance.NEUTRAL,
                "Plachty by sa dali osadiť už túto jar, stromy rastú roky.",
            ),
            (
                RESIDENT,
                Stance.FOR,
                "Presne preto navrhujem **oboje**: plachty hneď, stromy natrvalo.",
            ),
        ],
    ),
    (
        "Viac tieňa pri detskom ihrisku",
        BOARD[5],
        Stance.AGAINST,
        "Plachty v parku budú terčom vandalov. Radšej len stromy.",
        [],
    ),
    (
        "Workoutové ihrisko pre mladých",
        BOARD[7],
        Stance.FOR,
        "As a student I can confirm: we would use it every day after school.",
        [(BOARD[4], Stance.NEUTRAL, "Koľko by to stálo? Bolo by dobré mať odhad.")],
    ),
    (
        "Better lighting on the river path",
        BOARD[3],
        Stance.FOR,
        "Dôležité pre bezpečnosť, hlavne v zime. Prosím o svetlá s teplou farbou kvôli vtákom.",
        [],
    ),
    (
        "Better lighting on the river path",
        BOARD[6],
        Stance.AGAINST,
        "Light pollution along the river harms bats. Motion-sensor lights would be a compromise.",
        [(BOARD[7], Stance.NEUTRAL, "Motion sensors sound like a good middle way.")],
    ),
    (
        "Kvetinová lúka namiesto trávnika",
        RESIDENT,
        Stance.FOR,
        "Výborný nápad, a ušetrené peniaze môžu ísť na lavičky.",
        [],
    ),
    (
        "Dažďové záhrady pri panelákoch",
        BOARD[1],
        Stance.NEUTRAL,
        "Treba overiť, či to správcovia domov dovolia.",
        [(BOARD[3], Stance.FOR, "Dve spoločenstvá vlastníkov už súhlasili.")],
    ),
    (
        "Shade sails over bus stops in Sásová",
        RESIDENT,
        Stance.FOR,
        "Thank you! The stop at Rudohorská needs it most.",
        [],
    ),
    (
        "Adopt a tree",
        BOARD[2],
        Stance.FOR,
        "Skvelé pre deti zo škôl: každá trieda by mohla adoptovať jeden strom.",
        [],
    ),
]

# The comment that waits in the moderation queue, and who reported it.
REPORTED = (
    "Workoutové ihrisko pre mladých",
    BOARD[4],
    Stance.AGAINST,
    "Kupujte lacné fitness doplnky na www.example.com/akcia !!!",
)
REPORTER = BOARD[2]


def _comment(proposal, author, stance, text, parent=None) -> Comment:
    comment = Comment.objects.filter(proposal=proposal, author=author, body=text).first()
    if comment is None:
        comment = Comment.objects.create(
            proposal=proposal,
            parent=parent,
            level=parent.level + 1 if parent else 1,
            author=author,
            stance=stance,
            body=text,
            body_html=render_markdown(text),
        )
    return comment


def seed_comments() -> None:
    users = {u.email: u for u in User.objects.filter(email__in=[*BOARD, RESIDENT, FACILITATOR])}
    proposals = {p.title: p for p in Proposal.objects.filter(title__in=[t[0] for t in THREADS])}
    touched = set()
    for title, author, stance, text, replies in THREADS:
        proposal = proposals.get(title)
        if proposal is None:
            continue
        parent = _comment(proposal, users[author], stance, text)
        for reply_author, reply_stance, reply_text in replies:
            parent = _comment(proposal, users[reply_author], reply_stance, reply_text, parent)
        touched.add(proposal.pk)
    title, author, stance, text = REPORTED
    proposal = Proposal.objects.filter(title=title).first()
    if proposal is not None:
        spam = _comment(proposal, users[author], stance, text)
        touched.add(proposal.pk)
        if not Report.objects.filter(comment=spam).exists():
            moderation.report_content(
                users[REPORTER],
                comment=spam,
                reason=Report.Reason.SPAM,
                text="Reklama, nesúvisí s návrhom.",
            )
    _recount(touched)


def _recount(proposal_ids: set[int]) -> None:
    """Set the denormalised counters from the rows, whatever an earlier run left behind."""
    shown = Q(comments__deleted_at__isnull=True, comments__hidden=False)
    counted = Proposal.objects.filter(pk__in=proposal_ids).annotate(
        n=Count("comments", filter=shown),
        n_for=Count("comments", filter=shown & Q(comments__stance=Stance.FOR)),
        n_against=Count("comments", filter=shown & Q(comments__stance=Stance.AGAINST)),
        n_neutral=Count("comments", filter=shown & Q(comments__stance=Stance.NEUTRAL)),
    )
    for proposal in counted:
        Proposal.objects.filter(pk=proposal.pk).update(
            comments_count=proposal.n,
            stance_for_count=proposal.n_for,
            stance_against_count=proposal.n_against,
            stance_neutral_count=proposal.n_neutral,
        )
