"""/ws/proposals/<id>/: a comment posted through the form reaches a reader's socket."""

import pytest
from asgiref.sync import sync_to_async

from tests.sockets import LiveClient, login_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_comment_posted_over_http_reaches_the_reader(proposal, outsider, client):
    reader = LiveClient(f"/ws/proposals/{proposal.pk}/")
    snapshot = await reader.connect()
    assert snapshot["data"]["counts"]["comments"] == 0
    await sync_to_async(client.force_login)(outsider)
    response = await sync_to_async(client.post)(
        f"/proposals/{proposal.pk}/comments/", {"body": "Benches **now**", "stance": "for"}
    )
    assert response.status_code == 302
    created = await reader.receive_type("comment.created")
    assert created["data"]["comment"]["html"] == "<p>Benches <strong>now</strong></p>"
    counts = await reader.receive_type("proposal.counts")
    assert counts["data"]["comments"] == 1
    assert counts["data"]["stances"]["for"] == 1
    await reader.close()


async def test_a_moderator_hides_a_comment_over_the_socket(proposal, outsider, staff):
    from proposals.comments import create_comment

    comment = await sync_to_async(create_comment)(outsider, proposal, body="Spam spam")
    reader = LiveClient(f"/ws/proposals/{proposal.pk}/")
    await reader.connect()
    moderator = LiveClient(
        f"/ws/proposals/{proposal.pk}/", cookies=await sync_to_async(login_cookie)(staff)
    )
    assert (await moderator.connect())["data"]["you"]["role"] == "staff"
    reply, _ = await moderator.command("comment.hide", {"comment": comment.pk, "reason": "Spam"})
    assert reply["type"] == "ack"
    hidden = await reader.receive_type("comment.hidden")
    assert hidden["data"] == {
        "comment": comment.pk,
        "proposal": proposal.pk,
        "reason": "moderation",
    }
    await reader.close()
    await moderator.close()


async def test_a_resident_cannot_hide_comments(proposal, outsider, resident):
    from proposals.comments import create_comment
    from proposals.models import Comment

    comment = await sync_to_async(create_comment)(outsider, proposal, body="Fine words")
    socket = LiveClient(
        f"/ws/proposals/{proposal.pk}/", cookies=await sync_to_async(login_cookie)(resident)
    )
    await socket.connect()
    reply, _ = await socket.command("comment.hide", {"comment": comment.pk, "reason": "Mine"})
    assert reply["data"]["code"] == "forbidden"
    assert not (await sync_to_async(Comment.objects.get)(pk=comment.pk)).hidden
    await socket.close()
