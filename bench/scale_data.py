"""`--scale N` for bench/pages.py: the demo city with N times its proposals, comments and
ballots (N = 10: 1,000 proposals, 10,000 comments, 100 ballots), made in seconds.

Proposals and comments are rows of the same shape the demo modules write (proposals/demo.py,
proposals/demo_comments.py create them as rows too), inserted with bulk_create: going through
the services one by one would take minutes and trip the per-person rate limits. Their counters
are then set from the rows by the demo's own recount. Ballots go through voting.services, as
the demo's do: there are only a hundred, and a ballot's tally and options must be right.
Kept out of seed_demo, which is the demo a person reads; this is volume for measuring.
"""

from itertools import cycle

PROPOSALS_PER_SCALE = 100
COMMENTS_PER_SCALE = 1_000
BALLOTS_PER_SCALE = 10
BATCH = 500


def seed_scale(scale: int) -> dict[str, int]:
    """Top the demo data up to `scale` times the per-scale counts; returns the totals."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from core.markup import render_markdown
    from deliberation.models import Process
    from proposals.demo_comments import _recount
    from proposals.models import Comment, Proposal
    from voting import services as voting
    from voting.models import Ballot

    process = Process.objects.get(slug="mestsky-park")
    authors = list(User.objects.filter(email__endswith="@spolu.example").order_by("pk"))
    staff = User.objects.get(email="staff@spolu.example")
    body = "Návrh na zlepšenie parku: **viac lavičiek** a tieňa.\n\n- v lete\n- v zime"
    body_html = render_markdown(body)
    text = "Súhlasím, ale treba myslieť aj na *údržbu* počas celého roka."
    text_html = render_markdown(text)
    now = timezone.now()
    with transaction.atomic():
        missing = PROPOSALS_PER_SCALE * scale - Proposal.objects.count()
        who = cycle(authors)
        Proposal.objects.bulk_create(
            (
                Proposal(
                    process=process,
                    author=next(who),
                    title=f"Návrh č. {n + 1} pre mestský park",
                    body=body,
                    body_html=body_html,
                    state="published",
                    published_at=now,
                )
                for n in range(max(missing, 0))
            ),
            batch_size=BATCH,
        )
        proposals = list(Proposal.objects.filter(state="published").values_list("pk", flat=True))
        missing = COMMENTS_PER_SCALE * scale - Comment.objects.count()
        on, stances = cycle(proposals), cycle(["for", "against", "neutral"])
        Comment.objects.bulk_create(
            (
                Comment(
                    proposal_id=next(on),
                    author=next(who),
                    stance=next(stances),
                    body=text,
                    body_html=text_html,
                )
                for _ in range(max(missing, 0))
            ),
            batch_size=BATCH,
        )
        _recount(set(proposals))
        for n in range(BALLOTS_PER_SCALE * scale - Ballot.objects.count()):
            ballot = voting.create_ballot(
                staff, process, question=f"Otázka č. {n + 1}: postaviť lavičky?", method="yes_no"
            )
            voting.open_ballot(staff, ballot)
    return {
        "proposals": Proposal.objects.count(),
        "comments": Comment.objects.count(),
        "ballots": Ballot.objects.count(),
    }
