import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from proposals import services
from proposals.models import Proposal, Support
from tests.factories import make_process


def test_it_stores_the_body_as_sanitized_html(process, resident):
    proposal = services.create_proposal(
        resident, process, title="Benches", body="**More** <script>alert(1)</script>"
    )
    assert "<strong>More</strong>" in proposal.body_html
    assert "<script" not in proposal.body_html
    assert proposal.state == Proposal.State.PUBLISHED and proposal.published_at


def test_it_saves_a_draft_and_publishes_it_later(process, resident):
    proposal = services.create_proposal(resident, process, title="T", body="B", publish=False)
    assert proposal.state == Proposal.State.DRAFT
    services.publish_proposal(resident, proposal)
    assert proposal.state == Proposal.State.PUBLISHED


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Body", "title"),
        ("T", "   ", "body"),
        ("x" * 201, "B", "title"),
        ("T", "x" * 10_001, "body"),
    ],
)
def test_it_refuses_empty_or_oversized_text(process, resident, title, body, field):
    with pytest.raises(ValidationError) as error:
        services.create_proposal(resident, process, title=title, body=body)
    assert field in error.value.error_dict
    assert not Proposal.objects.exists()


def test_it_accepts_text_exactly_at_the_limits(process, resident):
    services.create_proposal(resident, process, title="x" * 200, body="y" * 10_000)
    assert Proposal.objects.count() == 1


def test_it_refuses_a_new_proposal_outside_the_proposals_phase(db, resident):
    process = make_process(current="deliberation")
    with pytest.raises(PermissionDenied):
        services.create_proposal(resident, process, title="T", body="B")
    assert not Proposal.objects.exists()


def test_it_refuses_a_category_of_another_process(process, resident):
    other = make_process(slug="other")
    with pytest.raises(ValidationError):
        services.create_proposal(
            resident, process, title="T", body="B", category=other.categories.get()
        )
    assert not Proposal.objects.exists()


def test_it_limits_how_many_proposals_one_person_writes(process, resident, settings):
    settings.SPOLU_PROPOSAL_RATE = "2/h"
    services.create_proposal(resident, process, title="1", body="B")
    services.create_proposal(resident, process, title="2", body="B")
    with pytest.raises(ValidationError, match="wait a while"):
        services.create_proposal(resident, process, title="3", body="B")
    assert Proposal.objects.count() == 2


def test_support_counts_and_can_be_taken_back(proposal, outsider):
    services.support_proposal(outsider, proposal)
    assert proposal.supports_count == 1
    services.unsupport_proposal(outsider, proposal)
    assert proposal.supports_count == 0
    assert not Support.objects.exists()


def test_it_refuses_a_second_support(proposal, outsider):
    services.support_proposal(outsider, proposal)
    with pytest.raises(ValidationError, match="already support"):
        services.support_proposal(outsider, proposal)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    assert Support.objects.count() == 1


def test_it_refuses_to_support_a_withdrawn_proposal(proposal, resident, outsider):
    services.withdraw_proposal(resident, proposal)
    with pytest.raises(PermissionDenied):
        services.support_proposal(outsider, proposal)
    assert proposal.supports_count == 0


def test_it_refuses_to_edit_someone_elses_proposal(proposal, outsider):
    with pytest.raises(PermissionDenied):
        services.update_proposal(outsider, proposal, title="Mine now", body="B")
    proposal.refresh_from_db()
    assert proposal.title == "More benches"


def test_it_refuses_to_edit_once_supported(proposal, resident, outsider):
    services.support_proposal(outsider, proposal)
    with pytest.raises(PermissionDenied):
        services.update_proposal(resident, proposal, title="Changed", body="B")
    proposal.refresh_from_db()
    assert proposal.title == "More benches"


def test_the_author_edits_before_anyone_engaged(proposal, resident):
    services.update_proposal(resident, proposal, title="Fewer benches", body="*ok*")
    proposal.refresh_from_db()
    assert proposal.title == "Fewer benches"
    assert proposal.body_html == "<p><em>ok</em></p>"


def test_it_refuses_to_withdraw_someone_elses_proposal(proposal, outsider):
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(outsider, proposal)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PUBLISHED


def test_staff_answer_with_a_state(proposal, staff):
    services.answer_proposal(staff, proposal, state="accepted", answer="We will build it.")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    assert proposal.answer == "We will build it." and proposal.answered_at


@pytest.mark.parametrize(
    ("state", "answer"), [("withdrawn", "x"), ("bogus", "x"), ("accepted", " ")]
)
def test_it_refuses_an_answer_without_a_valid_state_or_text(proposal, staff, state, answer):
    with pytest.raises(ValidationError):
        services.answer_proposal(staff, proposal, state=state, answer=answer)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PUBLISHED and not proposal.answer


def test_it_refuses_an_answer_from_a_resident(proposal, outsider):
    with pytest.raises(PermissionDenied):
        services.answer_proposal(outsider, proposal, state="accepted", answer="Yes")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PUBLISHED


def test_coauthors_may_edit_but_not_withdraw(process, resident, outsider):
    proposal = services.create_proposal(
        resident, process, title="T", body="B", coauthors=[outsider]
    )
    services.update_proposal(outsider, proposal, title="T2", body="B")
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(outsider, proposal)
