"""A NUL or another control character in any text a socket command carries is refused with
`invalid` and nothing is stored, on SQLite and PostgreSQL alike (issue 13, item 12)."""

import pytest
from asgiref.sync import sync_to_async

from live.models import Question
from realtime import events
from tests.factories import attend
from tests.sockets import login_cookie, open_session_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
async def test_a_question_with_a_control_character_is_invalid_and_not_stored(
    live_session, member, bad
):
    await sync_to_async(attend)(live_session, user=member)
    socket, _ = await open_session_socket(
        live_session.join_code, await sync_to_async(login_cookie)(member)
    )
    reply = await socket.reply("question.ask", {"text": f"When{bad} do works start?"})
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "invalid"
    assert "control character" in reply["data"]["message"]
    assert await sync_to_async(Question.objects.count)() == 0
    # Tab and line breaks are text; the socket still works.
    reply = await socket.reply("question.ask", {"text": "When\tdo\r\nworks start?"})
    assert reply["type"] == "ack"
    assert await sync_to_async(Question.objects.count)() == 1
    await socket.close()


@pytest.mark.parametrize(
    "frame",
    [
        {"id": "a\x00", "type": "ping", "data": {}},
        {"id": "1", "type": "question.answer", "data": {"question": 1, "answer": "\x00"}},
        {"id": "1", "type": "comment.hide", "data": {"comment": 1, "reason": "spam\x00"}},
        {"id": "1", "type": "outcome.record", "data": {"item": 1, "text": "\x00"}},
        {"id": "1", "type": "vote.cast", "data": {"ballot": 1, "choice": ["\x00"], "key": "k"}},
        {"id": "1", "type": "vote.cast", "data": {"ballot": 1, "choice": {"\x00": 1}, "key": "k"}},
        {"id": "1", "type": "vote.withdraw", "data": {"ballot": 1, "key": "k\x01"}},
    ],
)
def test_every_command_refuses_control_characters_in_any_string(frame):
    with pytest.raises(ValueError, match="control character"):
        events.parse_command(frame)
