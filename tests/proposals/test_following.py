"""Following a proposal: its news without supporting it, and stopping it even as its author
or a supporter."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Notification
from proposals import notifications as kinds
from proposals import services
from proposals.followers import is_following
from proposals.models import Follow, Proposal
from tests.factories import support

pytestmark = pytest.mark.django_db


def told_of_answer(user) -> bool:
    return Notification.objects.filter(recipient=user, kind=kinds.PROPOSAL_ANSWERED).exists()


def answer(staff, proposal):
    services.answer_proposal(staff, proposal, state=Proposal.State.ACCEPTED, answer="We will.")


def test_someone_who_follows_without_supporting_is_told_of_the_answer(proposal, outsider, staff):
    services.follow_proposal(outsider, proposal)
    answer(staff, proposal)
    assert told_of_answer(outsider)
    assert proposal.supports.count() == 0  # following is not a support


def test_a_supporter_who_stops_following_keeps_the_support_and_hears_nothing(
    proposal, neighbour, staff
):
    support(proposal, neighbour)
    assert is_following(neighbour, proposal)
    services.unfollow_proposal(neighbour, proposal)
    answer(staff, proposal)
    assert not told_of_answer(neighbour)
    assert proposal.supports.filter(user=neighbour).exists()


def test_the_author_may_stop_following_and_follow_again(proposal, resident, staff):
    services.unfollow_proposal(resident, proposal)
    assert not is_following(resident, proposal)
    services.follow_proposal(resident, proposal)
    answer(staff, proposal)
    assert told_of_answer(resident)
    assert Follow.objects.filter(proposal=proposal, user=resident).count() == 1


def test_following_twice_or_stopping_what_one_does_not_follow_is_refused(proposal, outsider):
    with pytest.raises(ValidationError, match="You do not follow this proposal"):
        services.unfollow_proposal(outsider, proposal)
    services.follow_proposal(outsider, proposal)
    with pytest.raises(ValidationError, match="You already follow this proposal"):
        services.follow_proposal(outsider, proposal)
    assert Follow.objects.filter(user=outsider).count() == 1


def test_nobody_follows_a_draft_they_cannot_see(resident, outsider, process):
    draft = services.create_proposal(
        resident, process, title="Quiet idea", body="Not yet public", publish=False
    )
    with pytest.raises(PermissionDenied):
        services.follow_proposal(outsider, draft)
    assert not Follow.objects.exists()


def test_the_page_offers_follow_and_then_stop_following(client, proposal, outsider):
    page = reverse("proposal_detail", args=[proposal.pk])
    follow = reverse("proposal_follow", args=[proposal.pk])
    assert follow not in client.get(page).content.decode()  # not signed in: nothing to follow
    client.force_login(outsider)
    assert follow in client.get(page).content.decode()
    response = client.post(follow, follow=True)
    body = response.content.decode()
    assert "You will be told what happens to it." in body
    assert reverse("proposal_unfollow", args=[proposal.pk]) in body
    client.post(reverse("proposal_unfollow", args=[proposal.pk]))
    assert not is_following(outsider, proposal)


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(client, proposal):
    response = client.post(reverse("proposal_follow", args=[proposal.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()
