"""Each proposal service sends exactly its events (Zulip style): run the service with the
on-commit callbacks executed, check the frames strictly, apply them to the state fetched
before, and require the result to equal the state fetched after."""

import pytest

from proposals import comments, moderation, stream
from proposals.services import support_proposal, unsupport_proposal
from realtime import events
from realtime.history import last_seq


def state_of(proposal) -> dict:
    you = events.You(role="anonymous", name="")
    snapshot = stream.snapshot(proposal.pk, last_seq=last_seq(f"proposal:{proposal.pk}"), you=you)
    data = snapshot.model_dump(by_alias=True)
    return {"last_seq": data["last_seq"], "comments": data["comments"], "counts": data["counts"]}


def apply(state: dict, frame: dict) -> dict:
    data = frame["data"]
    if frame["seq"] is not None:
        assert frame["seq"] == state["last_seq"] + 1
        state["last_seq"] = frame["seq"]
    kind = frame["type"]
    if kind == "comment.created":
        state["comments"].append(data["comment"])
    elif kind == "comment.edited":
        state["comments"] = [
            data["comment"] if c["id"] == data["comment"]["id"] else c for c in state["comments"]
        ]
    elif kind == "comment.hidden":
        state["comments"] = [c for c in state["comments"] if c["id"] != data["comment"]]
    elif kind == "comment.restored":
        state["comments"] = sorted([*state["comments"], data["comment"]], key=lambda c: c["id"])
    elif kind == "proposal.counts":
        state["counts"] = data
    else:
        raise AssertionError(f"unexpected {kind}")
    return state


@pytest.fixture
def check(proposal, sent, django_capture_on_commit_callbacks):
    """Run `action`; assert which frame types it sent; check them against the fresh state."""

    def run(action, expected_types: list[str]):
        before = state_of(proposal)
        sent.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        assert [frame["type"] for _stream, frame in sent] == expected_types
        assert {stream for stream, _f in sent} <= {f"proposal:{proposal.pk}"}
        for _stream, frame in sent:
            before = apply(before, frame)
        assert before == state_of(proposal)
        return [frame for _s, frame in sent]

    return run


@pytest.mark.sends("comment.created", "proposal.counts")
def test_posting_a_comment_sends_it_and_the_new_counts(check, proposal, outsider):
    frames = check(
        lambda: comments.create_comment(outsider, proposal, body="Yes, *please*", stance="for"),
        ["comment.created", "proposal.counts"],
    )
    assert frames[0]["data"]["comment"]["html"] == "<p>Yes, <em>please</em></p>"
    assert frames[0]["data"]["comment"]["author"] == "Oto Outsider"
    assert frames[1]["data"]["stances"] == {"for": 1, "against": 0, "neutral": 0}


@pytest.mark.sends("comment.edited")
def test_editing_a_comment_sends_the_new_text(check, proposal, outsider):
    comment = comments.create_comment(outsider, proposal, body="First", stance="for")
    frames = check(
        lambda: comments.edit_comment(outsider, comment, body="Second", stance="against"),
        ["comment.edited", "proposal.counts"],
    )
    assert frames[0]["data"]["comment"]["edited"] is True


@pytest.mark.sends("comment.hidden")
def test_deleting_a_comment_hides_it_for_readers(check, proposal, outsider):
    comment = comments.create_comment(outsider, proposal, body="Oops")
    frames = check(
        lambda: comments.delete_comment(outsider, comment), ["comment.hidden", "proposal.counts"]
    )
    assert frames[0]["data"]["reason"] == "deleted"


@pytest.mark.sends("comment.hidden", "comment.restored")
def test_moderation_hides_and_restores(check, proposal, outsider, staff):
    comment = comments.create_comment(outsider, proposal, body="Rude words")
    hidden = check(
        lambda: moderation.moderate(staff, comment=comment, decision="hide", reason="Rude"),
        ["comment.hidden", "proposal.counts"],
    )
    assert hidden[0]["data"]["reason"] == "moderation"
    check(
        lambda: moderation.moderate(staff, comment=comment, decision="restore", reason="Fine"),
        ["comment.restored", "proposal.counts"],
    )


def test_supports_send_counts_only(check, proposal, outsider):
    frames = check(lambda: support_proposal(outsider, proposal), ["proposal.counts"])
    assert frames[0]["data"]["supports"] == 1
    check(lambda: unsupport_proposal(outsider, proposal), ["proposal.counts"])


def test_a_refused_comment_sends_nothing(check, proposal, outsider):
    from django.core.exceptions import ValidationError

    def empty():
        with pytest.raises(ValidationError):
            comments.create_comment(outsider, proposal, body="   ")

    check(empty, [])
