"""Every ballot method is voted right in the participant view: over the socket (`vote.cast`,
the protocol's wire choice) and, without the script, by posting the same form to the session.
Each cast is counted, each method's limits are refused with words, and the page shows the
person's current vote, ready to change."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from live import stream
from live.services import ballots
from tests.factories import attend, make_session_ballot
from tests.sockets import guest_cookie, login_cookie, open_session_socket
from voting.models import Ballot, Tally

pytestmark = pytest.mark.django_db(transaction=True)

THREE = [{"label": "Oaks"}, {"label": "Benches"}, {"label": "Fountain"}]

# method: (ballot fields, options, the choice as a function of the wire ids, counts by option
# index: votes, first preferences for ranked, points for score, dots for dots)
CASES = {
    "yes_no": ({}, None, lambda ids: [ids[0]], {0: 1}),
    "single": ({}, THREE, lambda ids: [ids[1]], {1: 1}),
    "multiple": (
        {"min_selections": 1, "max_selections": 2},
        THREE,
        lambda ids: [ids[0], ids[2]],
        {0: 1, 2: 1},
    ),
    "support": ({"max_supports": 2}, THREE, lambda ids: [ids[1]], {1: 1}),
    "ranked": ({}, THREE, lambda ids: [ids[2], ids[0], ids[1]], {2: 1}),
    "score": ({"score_max": 5}, THREE, lambda ids: {ids[0]: 4, ids[2]: 5}, {0: 4, 2: 5}),
    "dots": (
        {"dots_per_voter": 5, "max_dots_per_option": 3},
        THREE,
        lambda ids: {ids[0]: 3, ids[2]: 2},
        {0: 3, 2: 2},
    ),
    "budget": (
        {"budget_total": 100},
        [
            {"label": "Oaks", "cost": 60},
            {"label": "Benches", "cost": 30},
            {"label": "Fountain", "cost": 50},
        ],
        lambda ids: [ids[0], ids[1]],
        {0: 1, 1: 1},
    ),
}


def open_ballot(session, facilitator, process, method: str, **extra) -> tuple[Ballot, list[str]]:
    fields, options, _choice, _counts = CASES[method]
    ballot = make_session_ballot(
        session, facilitator, process, method=method, options=options, **{**fields, **extra}
    )
    ballots.open_session_ballot(facilitator, session, ballot.pk)
    ids = [o["id"] for o in stream.ballot_info(ballot, facilitator)["options"]]
    return ballot, ids


def expected_counts(method: str, ids: list[str]) -> dict[str, int]:
    return {wire: CASES[method][3].get(n, 0) for n, wire in enumerate(ids)}


@pytest.mark.parametrize("method", list(CASES))
async def test_each_method_is_cast_inline_over_the_socket_and_counted(
    method, live_session, facilitator, member, board_process
):
    ballot, ids = await sync_to_async(open_ballot)(live_session, facilitator, board_process, method)
    await sync_to_async(attend)(live_session, user=member)
    cookie = await sync_to_async(login_cookie)(member)
    socket, snapshot = await open_session_socket(live_session.join_code, cookie)
    assert snapshot["data"]["you"]["votes"] == {}
    choice = CASES[method][2](ids)
    ack = await socket.reply("vote.cast", {"ballot": ballot.pk, "choice": choice, "key": "k1"})
    assert ack["type"] == "ack" and ack["data"]["receipt"], ack
    tally = await sync_to_async(stream.ballot_result)(ballot)
    assert tally["counts"] == expected_counts(method, ids) and tally["total"] == 1
    await socket.close()

    # A fresh connection's snapshot holds the person's vote as they cast it.
    again, snapshot = await open_session_socket(live_session.join_code, cookie)
    assert snapshot["data"]["you"]["votes"] == {str(ballot.pk): choice}
    await again.close()


async def test_a_guest_ranks_inline_and_changes_the_ranking(
    live_session, facilitator, guest_identity, board_process
):
    ballot, ids = await sync_to_async(open_ballot)(
        live_session, facilitator, board_process, "ranked", eligibility="session_guests"
    )
    await sync_to_async(attend)(live_session, guest=guest_identity)
    socket, _ = await open_session_socket(live_session.join_code, guest_cookie(guest_identity))
    first = {"ballot": ballot.pk, "choice": [ids[0], ids[1]], "key": "g1"}
    assert (await socket.reply("vote.cast", first))["type"] == "ack"
    changed = {"ballot": ballot.pk, "choice": [ids[1], ids[0], ids[2]], "key": "g2"}
    assert (await socket.reply("vote.cast", changed))["type"] == "ack"
    tally = await sync_to_async(stream.ballot_result)(ballot)
    assert tally["counts"] == {ids[0]: 0, ids[1]: 1, ids[2]: 0} and tally["total"] == 1
    await socket.close()


@pytest.mark.parametrize(
    ("method", "choice", "words"),
    [
        ("multiple", lambda ids: ids, "at most 2"),
        ("multiple", lambda ids: [], "at least 1"),
        ("support", lambda ids: ids, "at most 2"),
        ("budget", lambda ids: [ids[0], ids[2]], "more than the budget of 100"),
        ("ranked", lambda ids: [ids[0], ids[0]], "ranked twice"),
        ("score", lambda ids: {ids[0]: 6}, "from 0 to 5"),
        ("dots", lambda ids: {ids[0]: 2, ids[1]: 2, ids[2]: 2}, "you have 5"),
        ("dots", lambda ids: {ids[0]: 4}, "At most 3 dots"),
    ],
)
async def test_a_cast_beyond_the_methods_limits_is_refused_in_words_and_not_counted(
    method, choice, words, live_session, facilitator, member, board_process
):
    ballot, ids = await sync_to_async(open_ballot)(live_session, facilitator, board_process, method)
    await sync_to_async(attend)(live_session, user=member)
    cookie = await sync_to_async(login_cookie)(member)
    socket, _ = await open_session_socket(
        live_session.join_code, {**cookie, "django_language": "en"}
    )
    reply = await socket.reply(
        "vote.cast", {"ballot": ballot.pk, "choice": choice(ids), "key": "x"}
    )
    assert reply["type"] == "error" and reply["data"]["code"] == "invalid"
    assert words in reply["data"]["message"], reply["data"]["message"]
    voters = await sync_to_async(lambda: Tally.objects.get(ballot=ballot).voters)()
    assert voters == 0
    assert (await socket.reply("ping"))["type"] == "ack"  # the socket stays usable
    await socket.close()


# --- Without the script: the same form posted to the session -------------------------------


def form_post(method: str, ballot: Ballot, ids: list[str]) -> dict:
    """What the participant view's form posts for CASES' choice, by voting's field names."""
    choice = CASES[method][2](ids)
    data = {"action": "vote", "ballot": ballot.pk, "key": f"form-{method}", "next": "live"}
    if method in ("yes_no", "single"):
        data["option"] = choice[0]
    elif method == "ranked":
        data.update({f"rank_{n}": wire for n, wire in enumerate(choice, start=1)})
    elif method in ("score", "dots"):
        data.update({f"{method}_{wire}": str(n) for wire, n in choice.items()})
    else:
        data["options"] = choice
    return data


@pytest.mark.parametrize("method", list(CASES))
def test_each_methods_form_posted_without_the_script_is_counted_and_shown_as_mine(
    method, client, live_session, facilitator, member, board_process
):
    ballot, ids = open_ballot(live_session, facilitator, board_process, method)
    attend(live_session, user=member)
    client.force_login(member)
    url = reverse("session_participant", args=[live_session.join_code])
    before = client.get(url).content.decode()
    # The "You have voted" box is drawn hidden, for the script to show after a vote.
    mine = f'id="ballot-{ballot.pk}-mine" data-mine'
    assert f'data-method="{method}"' in before and f"{mine} hidden>" in before

    page = client.post(
        reverse("session_action", args=[live_session.join_code]),
        form_post(method, ballot, ids),
        follow=True,
    ).content.decode()
    assert "Your vote was counted. Your receipt code is" in page
    tally = stream.ballot_result(ballot)
    assert tally["counts"] == expected_counts(method, ids) and tally["total"] == 1
    assert f"{mine}>" in page and "<span data-voted>Change my vote" in page

    # The form comes back filled in with the vote, ready to change.
    prefix = f"b{ballot.pk}-"
    choice = CASES[method][2](ids)
    if method == "ranked":
        for n, wire in enumerate(choice, start=1):
            select = re.search(
                rf'<select name="rank_{n}" id="{prefix}rank-{n}">(.*?)</select>', page, re.S
            )
            assert f'<option value="{wire}" selected>' in select.group(1)
    elif method in ("score", "dots"):
        for wire, n in choice.items():
            assert re.search(rf'id="{prefix}{method}-{wire}" value="{n}"', page)
    else:
        for wire in choice:
            assert re.search(rf'id="{prefix}option-{wire}" value="{wire}"[^>]* checked>', page)


def test_an_empty_single_choice_posted_says_choose_an_option(
    client, live_session, facilitator, member, board_process
):
    ballot, _ids = open_ballot(live_session, facilitator, board_process, "single")
    attend(live_session, user=member)
    client.force_login(member)
    page = client.post(
        reverse("session_action", args=[live_session.join_code]),
        {"action": "vote", "ballot": ballot.pk, "key": "k", "next": "live"},
        follow=True,
    ).content.decode()
    assert "Choose an option." in page and stream.ballot_result(ballot)["total"] == 0


def test_the_ballot_page_link_is_there_for_people_with_an_account(
    client, live_session, facilitator, member, board_process
):
    ballot, _ids = open_ballot(live_session, facilitator, board_process, "ranked")
    attend(live_session, user=member)
    client.force_login(member)
    page = client.get(reverse("session_participant", args=[live_session.join_code]))
    assert reverse("voting:ballot_detail", args=[ballot.pk]) in page.content.decode()
