"""Following a commitment's progress: without having taken part in a source, or no longer
although one did."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Notification
from actionplan import following, services
from actionplan.models import CommitmentFollow
from actionplan.notifications import PROGRESS

pytestmark = pytest.mark.django_db


def told_of_progress(user) -> bool:
    return Notification.objects.filter(recipient=user, kind=PROGRESS).exists()


def report(staff, commitment):
    services.post_progress_update(staff, commitment, text="The tender is out.")


def test_a_resident_who_follows_is_told_of_progress(commitment, outsider, staff):
    following.follow_commitment(outsider, commitment)
    report(staff, commitment)
    assert told_of_progress(outsider)


def test_the_author_of_a_source_may_stop_following(commitment, proposal, resident, staff):
    services.promote_proposal(staff, proposal, justification="Fits", commitment=commitment)
    assert following.is_following(resident, commitment)
    following.unfollow_commitment(resident, commitment)
    report(staff, commitment)
    assert not told_of_progress(resident)
    supporter = proposal.supports.get().user
    assert told_of_progress(supporter)  # the others still hear


def test_repeated_or_unseen_choices_are_refused(commitment, outsider, staff, plan):
    with pytest.raises(ValidationError, match="You do not follow this commitment"):
        following.unfollow_commitment(outsider, commitment)
    following.follow_commitment(outsider, commitment)
    with pytest.raises(ValidationError, match="You already follow this commitment"):
        following.follow_commitment(outsider, commitment)
    draft = services.create_commitment(staff, plan, title="Not yet public", is_published=False)
    with pytest.raises(PermissionDenied):
        following.follow_commitment(outsider, draft)
    assert CommitmentFollow.objects.filter(user=outsider).count() == 1


def test_the_page_offers_follow_then_stop_following(client, commitment, outsider):
    page = reverse("actionplan:commitment", args=[commitment.pk])
    follow = reverse("actionplan:commitment_follow", args=[commitment.pk])
    assert follow not in client.get(page).content.decode()
    client.force_login(outsider)
    assert follow in client.get(page).content.decode()
    body = client.post(follow, follow=True).content.decode()
    assert "You will be told of its progress." in body
    assert reverse("actionplan:commitment_unfollow", args=[commitment.pk]) in body


def test_the_page_answers_as_the_news_goes_in_a_few_queries(
    commitment,
    proposal,
    resident,
    staff,
    session,
    make_user,
    outsider,
    django_assert_max_num_queries,
):
    """Whether the page says "you follow" agrees with who is told of progress, for each way of
    being a follower, and costs a few queries whatever the number of followers."""
    from live.models import AgendaItem, Attendance
    from proposals.services import follow_proposal, unfollow_proposal

    services.promote_proposal(staff, proposal, justification="Fits", commitment=commitment)
    AgendaItem.objects.create(session=session, title="Benches").proposals.add(proposal)
    attendee, follower, stopped, stopped_here = (
        make_user(f"{name}@example.org") for name in ("attendee", "follower", "stopped", "here")
    )
    Attendance.objects.create(session=session, user=attendee, mode="in_room")
    for person in (follower, stopped, stopped_here):
        follow_proposal(person, proposal)
    unfollow_proposal(stopped, proposal)
    following.unfollow_commitment(stopped_here, commitment)  # follows the source, not this
    supporter = proposal.supports.get().user
    told = {person.pk for person in services.commitment_followers(commitment)}
    people = [resident, supporter, attendee, follower, stopped, stopped_here, outsider]
    for person in people:
        with django_assert_max_num_queries(3):
            answer = following.is_following(person, commitment)
        assert answer == (person.pk in told), person.email
    assert {resident.pk, supporter.pk, attendee.pk, follower.pk} <= told
    assert not told & {stopped.pk, stopped_here.pk, outsider.pk}
