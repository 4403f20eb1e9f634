"""The session socket, through the full ASGI application: who may connect, the snapshot, and
every refusal the contract lists, each leaving the session unchanged and the socket usable."""

import pytest
from asgiref.sync import sync_to_async

from deliberation.models import Membership
from live.models import Question, Session
from live.services import agenda, ballots, sessions, timer
from live.services import minutes as record
from tests.factories import attend, make_session_ballot
from tests.sockets import LiveClient, guest_cookie, login_cookie, open_session_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def state(live_session):
    def read():
        session = Session.objects.get(pk=live_session.pk)
        return (session.state, session.current_item_id, session.timer_ends_at)

    return sync_to_async(read)


async def test_an_unknown_code_is_closed_with_4404(live_session):
    socket = LiveClient.session("ZZZZZZ")
    assert await socket.refused_with() == 4404


async def test_a_visitor_without_identity_is_closed_with_4401(live_session):
    socket = LiveClient.session(live_session.join_code)
    assert await socket.refused_with() == 4401


async def test_a_guest_cookie_for_another_session_is_refused(live_session, facilitator, board):
    from live.guests import GuestIdentity

    other = await sync_to_async(sessions.create_session)(
        facilitator, body=board, title="Other", starts_at=live_session.starts_at
    )
    socket = LiveClient.session(
        live_session.join_code, cookies=guest_cookie(GuestIdentity(other.pk, "c" * 32, "X"))
    )
    assert await socket.refused_with() == 4401


async def test_a_joined_guest_gets_the_snapshot_first(live_session, guest_identity):
    await sync_to_async(attend)(live_session, guest=guest_identity)
    socket, snapshot = await open_session_socket(
        live_session.join_code, guest_cookie(guest_identity)
    )
    assert snapshot["type"] == "session.snapshot" and snapshot["seq"] is None
    data = snapshot["data"]
    assert data["session"] == {
        "code": "BRD234",
        "title": "Board meeting",
        "state": "live",
        "guests_allowed": True,
    }
    assert data["you"]["role"] == "guest" and data["you"]["name"] == "Gina"
    assert [item["current"] for item in data["agenda"]] == [True, False]
    assert data["last_seq"] == 2  # session.state_changed, agenda.item_changed
    await socket.close()


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("agenda.goto", {"item": 0}),
        ("session.close", {}),
        ("timer.start", {"seconds": 60}),
        ("speaker.next", {}),
        ("ballot.open", {"ballot": 1}),
    ],
)
async def test_a_member_issuing_facilitator_commands_is_forbidden_and_nothing_changes(
    live_session, member, state, command, data
):
    await sync_to_async(attend)(live_session, user=member)
    if command == "agenda.goto":
        data = {"item": await sync_to_async(lambda: live_session.items.last().pk)()}
    before = await state()
    socket, snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    assert snapshot["data"]["you"]["role"] == "member"
    reply = await socket.reply(command, data)
    assert reply["type"] == "error" and reply["data"]["code"] == "forbidden"
    assert await state() == before
    assert (await socket.reply("ping"))["type"] == "ack"  # the socket stays usable
    await socket.close()


async def test_a_guest_issuing_facilitator_commands_is_forbidden(
    live_session, guest_identity, state
):
    await sync_to_async(attend)(live_session, guest=guest_identity)
    before = await state()
    socket, _snapshot = await open_session_socket(
        live_session.join_code, guest_cookie(guest_identity)
    )
    reply = await socket.reply("session.close")
    assert reply["data"]["code"] == "forbidden"
    assert await state() == before
    await socket.close()


async def test_a_facilitator_moves_the_agenda_and_everyone_sees_it(
    live_session, facilitator, member
):
    await sync_to_async(attend)(live_session, user=member)
    second = await sync_to_async(lambda: live_session.items.last().pk)()
    console, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(facilitator)
    )
    watcher, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    assert (await console.reply("agenda.goto", {"item": second}))["type"] == "ack"
    frame = await watcher.receive_type("agenda.item_changed")
    assert frame["seq"] == 3
    assert frame["data"]["current"] == second
    await console.close()
    await watcher.close()


async def test_a_facilitator_whose_role_is_removed_is_refused_on_the_next_command(
    live_session, facilitator, state
):
    socket, snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(facilitator)
    )
    assert snapshot["data"]["you"]["role"] == "facilitator"
    assert (await socket.reply("timer.start", {"seconds": 30}))["type"] == "ack"
    await sync_to_async(
        lambda: Membership.objects.filter(user=facilitator).update(role=Membership.Role.MEMBER)
    )()
    before = await state()
    reply = await socket.reply("timer.stop")
    assert reply["type"] == "error" and reply["data"]["code"] == "forbidden"
    assert await state() == before
    await socket.close()


async def test_a_vote_on_a_closed_ballot_gets_ballot_closed(
    live_session, facilitator, member, board_process
):
    ballot = await sync_to_async(make_session_ballot)(live_session, facilitator, board_process)
    await sync_to_async(ballots.open_session_ballot)(facilitator, live_session, ballot.pk)
    await sync_to_async(attend)(live_session, user=member)
    socket, snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    assert snapshot["data"]["ballots"][0]["state"] == "open"
    vote = {"ballot": ballot.pk, "choice": ["yes"], "key": "k1"}
    ack = await socket.reply("vote.cast", vote)
    assert ack["type"] == "ack" and ack["data"]["receipt"]
    again = await socket.reply("vote.cast", vote)  # the same key counts once
    assert again["data"]["receipt"] == ack["data"]["receipt"]
    await sync_to_async(ballots.close_session_ballot)(facilitator, live_session, ballot.pk)
    reply = await socket.reply("vote.cast", {**vote, "key": "k2"})
    assert reply["type"] == "error" and reply["data"]["code"] == "ballot_closed"
    await socket.close()


async def test_a_guest_is_not_eligible_for_a_members_ballot(
    live_session, facilitator, guest_identity, board_process
):
    ballot = await sync_to_async(make_session_ballot)(
        live_session, facilitator, board_process, eligibility="body_members"
    )
    await sync_to_async(ballots.open_session_ballot)(facilitator, live_session, ballot.pk)
    await sync_to_async(attend)(live_session, guest=guest_identity)
    socket, _ = await open_session_socket(live_session.join_code, guest_cookie(guest_identity))
    reply = await socket.reply("vote.cast", {"ballot": ballot.pk, "choice": ["no"], "key": "g"})
    assert reply["data"]["code"] == "not_eligible"
    await socket.close()


async def test_questions_over_the_socket(live_session, member, guest_identity, facilitator):
    await sync_to_async(attend)(live_session, user=member)
    await sync_to_async(attend)(live_session, guest=guest_identity)
    asker, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    guest, _ = await open_session_socket(live_session.join_code, guest_cookie(guest_identity))
    console, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(facilitator)
    )
    asked = await asker.reply("question.ask", {"text": "When do works start?"})
    question = asked["data"]["id"]
    created = await console.receive_type("question.created")
    assert created["type"] == "question.created"
    assert created["data"]["question"]["text"] == "When do works start?"
    assert (await guest.reply("question.upvote", {"question": question}))["type"] == "ack"
    upvotes = await console.broadcast_of("question.upvotes")
    assert upvotes["type"] == "question.upvotes"
    second = await guest.reply("question.upvote", {"question": question})
    assert second["type"] == "error" and second["data"]["code"] == "invalid"
    assert (await console.reply("question.answer", {"question": question}))["type"] == "ack"
    answered = await guest.receive_type("question.answered")
    assert answered["data"]["question"] == question
    count = await sync_to_async(lambda: Question.objects.get(pk=question).upvotes)()
    assert count == 1
    for socket in (asker, guest, console):
        await socket.close()


async def test_a_malformed_or_unknown_command_gets_invalid_and_the_socket_stays(
    live_session, member
):
    await sync_to_async(attend)(live_session, user=member)
    socket, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    await socket.send_raw("{not json")
    assert (await socket.receive())["data"]["code"] == "invalid"
    reply = await socket.reply("agenda.jump", {})
    assert reply["data"]["code"] == "invalid"
    assert (await socket.reply("ping"))["type"] == "ack"
    await socket.close()


async def test_every_session_command_works_for_those_it_is_for(
    session, facilitator, member, board_process
):
    """Each command of the contract, issued by someone allowed to, gets its ack and its
    durable event; every frame on the way is checked against its schema."""
    await sync_to_async(attend)(session, user=member)
    ballot = await sync_to_async(make_session_ballot)(session, facilitator, board_process)
    item = await sync_to_async(lambda: session.items.get(ballot=ballot).pk)()
    console, snapshot = await open_session_socket(
        session.join_code, await sync_to_async(login_cookie)(facilitator)
    )
    assert snapshot["data"]["session"]["state"] == "scheduled"
    person, _ = await open_session_socket(
        session.join_code, await sync_to_async(login_cookie)(member)
    )
    steps = [
        (console, "session.start", {}),
        (console, "agenda.goto", {"item": item}),
        (console, "ballot.open", {"ballot": ballot.pk}),
        (person, "vote.cast", {"ballot": ballot.pk, "choice": ["abstain"], "key": "v1"}),
        (person, "vote.withdraw", {"ballot": ballot.pk, "key": "w1"}),
        (person, "hand.raise", {}),
        (console, "speaker.next", {}),
        (person, "hand.raise", {}),
        (person, "hand.lower", {}),
        (console, "timer.start", {"seconds": 90}),
        (console, "timer.stop", {}),
        (person, "question.ask", {"text": "Why?"}),
        (console, "ballot.close", {"ballot": ballot.pk}),
        (console, "outcome.record", {"item": item, "text": "Adopted.", "decision": "adopted"}),
        (console, "session.close", {}),
    ]
    for socket, command, data in steps:
        reply = await socket.reply(command, data)
        assert reply["type"] == "ack", (command, reply)
        if command == "outcome.record":
            recorded = await console.broadcast_of("outcome.recorded")
            assert recorded["seq"] is not None
        if command == "question.ask":
            question = reply["data"]["id"]
            hidden = await console.reply("question.hide", {"question": question})
            assert hidden["type"] == "ack"
    from realtime.models import StreamEvent

    types = await sync_to_async(
        lambda: list(
            StreamEvent.objects.filter(stream=session.stream)
            .order_by("seq")
            .values_list("type", flat=True)
        )
    )()
    assert types == [
        "session.state_changed",
        "agenda.item_changed",
        "agenda.item_changed",
        "ballot.opened",
        "speaker.queue_changed",
        "speaker.queue_changed",
        "speaker.queue_changed",
        "speaker.queue_changed",
        "timer.changed",
        "timer.changed",
        "question.created",
        "question.hidden",
        "ballot.closed",
        "outcome.recorded",
        "speaker.queue_changed",  # the one still speaking is done when the session closes
        "session.state_changed",
    ]
    await console.close()
    await person.close()


async def test_a_client_that_reconnects_resumes_what_it_missed(live_session, facilitator, member):
    await sync_to_async(attend)(live_session, user=member)
    cookie = await sync_to_async(login_cookie)(member)
    first, snapshot = await open_session_socket(live_session.join_code, cookie)
    seen = snapshot["data"]["last_seq"]
    await first.close()
    second = await sync_to_async(lambda: live_session.items.last().pk)()
    await sync_to_async(agenda.goto_item)(facilitator, live_session, second)
    await sync_to_async(timer.start_timer)(facilitator, live_session, 60)
    again, snapshot = await open_session_socket(live_session.join_code, cookie)
    assert snapshot["data"]["last_seq"] == seen + 2
    assert [i["id"] for i in snapshot["data"]["agenda"] if i["current"]] == [second]
    await again.send("resume", {"after": seen}, ref="r")
    replayed = [await again.receive(), await again.receive()]
    assert [f["seq"] for f in replayed] == [seen + 1, seen + 2]
    assert [f["type"] for f in replayed] == ["agenda.item_changed", "timer.changed"]
    ack = await again.receive()
    assert ack["type"] == "ack" and ack["data"]["replayed"] == 2
    await again.close()


async def test_watchers_see_people_join_and_the_notes_grow(
    live_session, facilitator, member, guest_identity
):
    await sync_to_async(attend)(live_session, user=member)
    watcher, snapshot = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    assert snapshot["data"]["presence"] == 1
    await sync_to_async(attend)(live_session, guest=guest_identity)
    presence = await watcher.receive()
    assert presence == {**presence, "type": "presence.changed", "data": {"count": 2}}
    item = await sync_to_async(lambda: live_session.items.first())()
    await sync_to_async(record.write_notes)(facilitator, item, "Everyone is here.")
    notes = await watcher.receive()
    assert notes["type"] == "minutes.updated" and notes["data"]["notes"] == "Everyone is here."
    await watcher.close()
