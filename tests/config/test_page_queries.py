"""The seven pages a resident opens on a vote day ask the database a fixed number of questions,
however much the city has written: the same bound holds for a small city and one with ten
times more proposals, comments, ballots, commitments and questions, so a query per row (an
N+1) fails here before it queues a vote day's visitors."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from actionplan.models import ActionPlan, Milestone, Priority
from actionplan.services import create_commitment
from live.models import Attendance, Question
from live.services import sessions
from proposals.models import Comment, Proposal
from tests import factories

# Queries per page, anonymous and signed in (measured, with a little room: a bound that
# does not depend on the data is what counts).
BOUNDS = {
    "home": (8, 14),
    "processes": (3, 8),
    "process": (6, 10),  # proposal cards, open ballots, phases: counts kept on each row
    "proposal": (8, 17),
    "plan": (6, 12),  # with the endorsements and the monitor's reports: one query each
    "ballot": (3, 10),
    "session": (18, 30),
}


def make_city(size, *, resident, staff, facilitator, board, process, live_session):
    """A city with `size` times a small demo's content, made with the factories."""
    authors = [factories.make_user(f"author{i}@example.org") for i in range(3)]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            process=process,
            author=authors[i % 3],
            title=f"Proposal {i}",
            body="Trees by the *pond*.",
            body_html="<p>Trees by the <em>pond</em>.</p>",
            state=Proposal.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for i in range(10 * size)
    )
    target = proposals[0]
    Comment.objects.bulk_create(
        Comment(
            proposal=target,
            author=authors[i % 3],
            stance=["for", "against", "neutral"][i % 3],
            body=f"Comment {i}",
            body_html=f"<p>Comment {i}</p>",
        )
        for i in range(10 * size)
    )
    Proposal.objects.filter(pk=target.pk).update(comments_count=10 * size)
    for i in range(size):
        factories.make_ballot(staff, process, question=f"Question {i}?")
    plan = ActionPlan.objects.create(
        title="Plan",
        slug="plan",
        period_start=date(2024, 9, 1),
        period_end=date(2026, 8, 31),
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    priority = Priority.objects.create(plan=plan, number=1, title="Open the city")
    for i in range(2 * size):
        commitment = create_commitment(
            staff, plan, title=f"Commitment {i}", priority=priority, is_published=True
        )
        Milestone.objects.bulk_create(
            Milestone(
                commitment=commitment, title=f"Step {j}", due_on=date(2025, 1, 1) + timedelta(j)
            )
            for j in range(3)
        )
    attendances = Attendance.objects.bulk_create(
        Attendance(session=live_session, guest_id=f"{i:032d}", nickname=f"Guest {i}")
        for i in range(5 * size)
    )
    Question.objects.bulk_create(
        Question(session=live_session, attendance=a, text=f"Question {i}?")
        for i, a in enumerate(attendances)
    )
    return {
        "home": "/",
        "processes": "/processes/",
        "process": f"/processes/{process.slug}/",
        "proposal": f"/proposals/{target.pk}/",
        "plan": f"/action-plan/{plan.slug}/",
        "ballot": f"/ballots/{process.ballots.order_by('pk').first().pk}/",
        "session": f"/sessions/{live_session.join_code}/live/",
    }


@pytest.fixture
def started(session, facilitator):
    return sessions.start_session(facilitator, session)


@pytest.mark.parametrize("size", [1, 10], ids=["small city", "ten times more"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("page", list(BOUNDS))
def test_a_vote_day_page_asks_a_bounded_number_of_queries(
    client,
    django_assert_max_num_queries,
    settings,
    page,
    signed_in,
    size,
    resident,
    staff,
    facilitator,
    board,
    process,
    started,
):
    # The bound is about rendering, not about the anonymous page cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    urls = make_city(
        size,
        resident=resident,
        staff=staff,
        facilitator=facilitator,
        board=board,
        process=process,
        live_session=started,
    )
    if signed_in:
        client.force_login(resident)
    joined = client.post(f"/join/{started.join_code}/", {"nickname": "Vera", "mode": "in_room"})
    assert joined.status_code == 302
    client.get(urls[page])  # first visit: the session and the language settle
    with django_assert_max_num_queries(BOUNDS[page][signed_in]):
        response = client.get(urls[page])
    assert response.status_code == 200
