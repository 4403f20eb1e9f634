"""/ws/ballots/<id>/: opening, closing, live tallies (coalesced, ending exact) and votes."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from tests.factories import voters
from tests.sockets import LiveClient, login_cookie
from voting import services

pytestmark = pytest.mark.django_db(transaction=True)


def path(ballot) -> str:
    return f"/ws/ballots/{ballot.pk}/"


def yes_no_ids(ballot) -> dict[str, int]:
    return {o.code: o.pk for o in ballot.options.all()}


async def test_the_snapshot_shows_the_ballot_with_its_live_tally(yes_no_ballot, resident):
    ballot = await sync_to_async(yes_no_ballot)()
    ids = await sync_to_async(yes_no_ids)(ballot)
    await sync_to_async(services.cast_vote)(ballot, resident, {"option": ids["yes"]})
    client = LiveClient(path(ballot))
    snapshot = await client.connect()
    data = snapshot["data"]["ballot"]
    assert [o["id"] for o in data["options"]] == ["yes", "no", "abstain"]
    assert data["state"] == "open"
    assert data["tally"] == {"counts": {"yes": 1, "no": 0, "abstain": 0}, "total": 1}
    await client.close()


async def test_the_tally_is_hidden_until_close_when_results_come_after(yes_no_ballot):
    ballot = await sync_to_async(yes_no_ballot)(results_visibility="after_close")
    client = LiveClient(path(ballot))
    snapshot = await client.connect()
    assert snapshot["data"]["ballot"]["tally"] is None
    await client.close()


async def test_a_vote_over_the_socket_is_acked_with_a_receipt_once_per_key(yes_no_ballot, resident):
    ballot = await sync_to_async(yes_no_ballot)()
    client = LiveClient(path(ballot), cookies=await sync_to_async(login_cookie)(resident))
    snapshot = await client.connect()
    assert snapshot["data"]["you"]["role"] == "participant"
    vote = {"ballot": ballot.pk, "choice": ["no"], "key": "k-1"}
    first, before = await client.command("vote.cast", vote)
    again, between = await client.command("vote.cast", vote)
    before += between
    assert first["type"] == again["type"] == "ack"
    assert first["data"]["receipt"] == again["data"]["receipt"]
    # Broadcast after commit, so it may come before or after the ack.
    tally = [f for f in before if f["type"] == "ballot.tally"] or [
        await client.receive_type("ballot.tally")
    ]
    tally = tally[0]
    assert tally["data"]["counts"]["no"] == 1
    assert tally["data"]["total"] == 1
    await client.close()
    # Reconnected, the snapshot says how this person voted.
    client = LiveClient(path(ballot), cookies=await sync_to_async(login_cookie)(resident))
    snapshot = await client.connect()
    assert snapshot["data"]["you"]["votes"] == {str(ballot.pk): ["no"]}
    await client.close()


async def test_refusals_carry_their_codes_and_change_nothing(yes_no_ballot, resident):
    ballot = await sync_to_async(yes_no_ballot)()
    anonymous = LiveClient(path(ballot))
    await anonymous.connect()
    reply, _ = await anonymous.command(
        "vote.cast", {"ballot": ballot.pk, "choice": ["yes"], "key": "a"}
    )
    assert reply["data"]["code"] == "not_eligible"
    member = LiveClient(path(ballot), cookies=await sync_to_async(login_cookie)(resident))
    await member.connect()
    reply, _ = await member.command("ballot.close", {"ballot": ballot.pk})
    assert reply["data"]["code"] == "forbidden"
    reply, _ = await member.command(
        "vote.cast", {"ballot": ballot.pk, "choice": ["maybe"], "key": "b"}
    )
    assert reply["data"]["code"] == "invalid"
    reply, _ = await member.command("vote.cast", {"ballot": 0, "choice": ["yes"], "key": "c"})
    assert reply["data"]["code"] == "invalid"
    from voting.models import Ballot, Vote

    assert await sync_to_async(Vote.objects.filter(ballot=ballot).count)() == 0
    assert (await sync_to_async(Ballot.objects.get)(pk=ballot.pk)).state == "open"
    await anonymous.close()
    await member.close()


async def test_a_ballot_closed_over_http_reaches_the_socket_with_the_final_tally(
    yes_no_ballot, staff, resident, client
):
    ballot = await sync_to_async(yes_no_ballot)()
    ids = await sync_to_async(yes_no_ids)(ballot)
    await sync_to_async(services.cast_vote)(ballot, resident, {"option": ids["yes"]})
    socket = LiveClient(path(ballot), cookies=await sync_to_async(login_cookie)(resident))
    await socket.connect()
    await sync_to_async(client.force_login)(staff)
    response = await sync_to_async(client.post)(f"/ballots/{ballot.pk}/close/")
    assert response.status_code in (200, 302)
    closed = await socket.receive_type("ballot.closed")
    assert closed["data"]["tally"] == {"counts": {"yes": 1, "no": 0, "abstain": 0}, "total": 1}
    final = await socket.receive_type("ballot.tally")
    assert final["data"]["final"] is True
    assert final["data"]["counts"]["yes"] == 1
    reply, _ = await socket.command(
        "vote.cast", {"ballot": ballot.pk, "choice": ["no"], "key": "z"}
    )
    assert reply["data"]["code"] == "ballot_closed"
    await socket.close()


async def test_a_facilitator_opens_a_ballot_over_the_socket(yes_no_ballot, staff):
    ballot = await sync_to_async(yes_no_ballot)(open_=False)
    socket = LiveClient(path(ballot), cookies=await sync_to_async(login_cookie)(staff))
    snapshot = await socket.connect()
    assert snapshot["data"]["ballot"]["state"] == "draft"
    reply, before = await socket.command("ballot.open", {"ballot": ballot.pk})
    assert reply["type"] == "ack"
    opened = [f for f in before if f["type"] == "ballot.opened"] or [
        await socket.receive_type("ballot.opened")
    ]
    assert opened[0]["data"]["ballot"]["state"] == "open"
    assert opened[0]["seq"] == snapshot["data"]["last_seq"] + 1
    await socket.close()


async def test_many_votes_make_few_tally_frames_and_the_last_is_exact(yes_no_ballot, staff):
    ballot = await sync_to_async(yes_no_ballot)()
    ids = await sync_to_async(yes_no_ids)(ballot)
    people = await sync_to_async(voters)(40)
    socket = LiveClient(path(ballot))
    await socket.connect()
    loop = asyncio.get_running_loop()
    started = loop.time()

    def vote_all():
        for n, person in enumerate(people):
            services.cast_vote(ballot, person, {"option": ids["yes" if n % 4 else "no"]})

    await sync_to_async(vote_all)()
    await sync_to_async(services.close_ballot)(staff, ballot)
    frames = await socket.receive_until(
        lambda f: f["type"] == "ballot.tally" and f["data"]["final"], timeout=5
    )
    # The span in which tallies were being delivered: through a real channel layer they keep
    # arriving after the last cast returns, so the window ends at the final frame.
    elapsed = loop.time() - started
    tallies = [f for f in frames if f["type"] == "ballot.tally"]
    # At most one per 250 ms (plus the first and the final one), far fewer than the votes.
    assert len(tallies) <= elapsed / 0.25 + 3
    assert len(tallies) < len(people)
    assert tallies[-1]["data"]["counts"] == {"yes": 30, "no": 10, "abstain": 0}
    assert tallies[-1]["data"]["total"] == 40
    non_final = [f for f in tallies if not f["data"]["final"]]
    assert all(f["data"]["total"] <= 40 for f in non_final)
    await socket.nothing_more(0.4)
    await socket.close()


async def test_an_unknown_ballot_is_4404_and_a_draft_is_4401_for_residents(yes_no_ballot, resident):
    assert await LiveClient("/ws/ballots/999999/").refused_with() == 4404
    ballot = await sync_to_async(yes_no_ballot)(open_=False)
    cookies = await sync_to_async(login_cookie)(resident)
    assert await LiveClient(path(ballot), cookies=cookies).refused_with() == 4401


async def test_a_reader_hears_a_scheduled_closing_without_anyone_touching_the_ballot(
    yes_no_ballot, resident, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from realtime import schedule

    monkeypatch.setattr(schedule, "TICK", 0.2)
    schedule._running.clear()  # a ticker started by an earlier test sleeps the old TICK
    ballot = await sync_to_async(yes_no_ballot)()
    ids = await sync_to_async(yes_no_ids)(ballot)
    await sync_to_async(services.cast_vote)(ballot, resident, {"option": ids["yes"]})
    soon = timezone.now() + timedelta(seconds=1)
    await sync_to_async(type(ballot).objects.filter(pk=ballot.pk).update)(closes_at=soon)
    client = LiveClient(path(ballot))
    await client.connect()
    closed = await client.receive_type("ballot.closed", timeout=10)
    final = await client.receive_type("ballot.tally", timeout=5)
    assert closed["data"]["ballot"] == ballot.pk
    assert final["data"]["final"] is True and final["data"]["counts"]["yes"] == 1
    await client.close()
