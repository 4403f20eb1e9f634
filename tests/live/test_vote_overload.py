"""When votes come faster than the vote writer applies them (voting.batches), a vote beyond its
queue is answered at once, over the socket with `rate_limited` and a retry hint, as a form
post with 429 and Retry-After; it changes nothing, and the same vote sent again counts."""

import threading

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from live.services import ballots
from tests.factories import attend, make_session_ballot
from tests.sockets import login_cookie, open_session_socket
from voting import batches
from voting.models import Tally, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_ballot(live_session, facilitator, board_process):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    return ballot


@pytest.fixture
def full_queue(settings):
    """The writer busy with a batch that waits, and its queue (of one) taken: the next vote
    finds no room until the test lets the batch go."""
    gate = threading.Event()
    started = threading.Event()
    held = []

    def fill():
        settings.SPOLU_VOTE_QUEUE = 1

        def wait():
            started.set()
            assert gate.wait(10)

        held.append(batches.WRITER.submit(wait))
        assert started.wait(10)
        held.append(batches.WRITER.submit(lambda: None))
        return gate

    yield fill
    gate.set()
    for future in held:
        future.result(10)


def chain_length(ballot) -> int:
    return Tally.objects.get(ballot=ballot).chain_length


async def test_a_socket_vote_beyond_the_queue_gets_rate_limited_with_a_hint_and_its_retry_counts(
    live_session, member, open_ballot, full_queue
):
    await sync_to_async(attend)(live_session, user=member)
    socket, _snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    gate = await sync_to_async(full_queue)()
    vote = {"ballot": open_ballot.pk, "choice": ["yes"], "key": "busy-1"}
    refused = await socket.reply("vote.cast", vote)
    assert refused["type"] == "error" and refused["data"]["code"] == "rate_limited"
    assert batches.MIN_RETRY_MS <= refused["data"]["retry_after_ms"] <= batches.MAX_RETRY_MS
    gate.set()
    assert await sync_to_async(batches.WRITER.wait_idle)()
    assert await sync_to_async(chain_length)(open_ballot) == 0
    ack = await socket.reply("vote.cast", vote)
    assert ack["type"] == "ack"
    kept = await sync_to_async(Vote.objects.get)(ballot=open_ballot)
    assert kept.receipt == ack["data"]["receipt"]
    again = await socket.reply("vote.cast", vote)  # a retry that finds the vote kept
    assert again["data"]["receipt"] == ack["data"]["receipt"]
    assert await sync_to_async(chain_length)(open_ballot) == 1
    await socket.close()


async def test_other_errors_carry_no_retry_hint(live_session, member, open_ballot):
    await sync_to_async(attend)(live_session, user=member)
    socket, _snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    reply = await socket.reply("vote.cast", {"ballot": open_ballot.pk, "choice": ["maybe"]})
    assert reply["type"] == "error" and "retry_after_ms" not in reply["data"]
    await socket.close()


def test_a_form_vote_beyond_the_queue_gets_429_and_changes_nothing(
    client, live_session, member, open_ballot, full_queue
):
    attend(live_session, user=member)
    client.force_login(member)
    gate = full_queue()
    form = {"action": "vote", "ballot": open_ballot.pk, "option": "yes", "key": "form-1"}
    url = reverse("session_action", args=[live_session.join_code])
    response = client.post(url, form)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "send it again" in response.content.decode()
    gate.set()
    assert batches.WRITER.wait_idle()
    assert chain_length(open_ballot) == 0
    assert client.post(url, form).status_code == 302
    assert Vote.objects.filter(ballot=open_ballot, voter=member).count() == 1
