"""A secret ballot's counts, asked of voting.visibility on every surface (issue 13, items 2
and 14): a small one shows nobody its breakdown before it closes, staff and facilitators
included; an open one shows its counts only in steps that hide a single vote."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from live.services import minutes
from tests import factories
from tests.factories import voters
from tests.sockets import LiveClient, login_cookie, open_session_socket
from voting import results, services, stream, visibility

pytestmark = pytest.mark.django_db(transaction=True)


def vote(ballot, voter, code: str) -> None:
    services.cast_vote(ballot, voter, {"option": ballot.options.get(code=code).pk})


@pytest.fixture
def small_secret(session, facilitator, process, resident):
    """A secret yes/no ballot on the Board meeting's agenda, results after close, one "no"."""
    ballot = factories.make_session_ballot(
        session, facilitator, process, secrecy="secret", results_visibility="after_close"
    )
    ballot = services.open_ballot(facilitator, ballot)
    vote(ballot, resident, "no")
    return ballot


def session_tally(snapshot: dict, ballot) -> dict | None:
    (info,) = [b for b in snapshot["data"]["ballots"] if b["id"] == ballot.pk]
    return info["tally"]


async def test_it_shows_staff_and_facilitators_no_counts_on_sockets_until_it_closes(
    small_secret, staff, facilitator, session
):
    ballot = small_secret
    for who in (staff, facilitator):
        cookies = await sync_to_async(login_cookie)(who)
        client = LiveClient(f"/ws/ballots/{ballot.pk}/", cookies=cookies)
        snapshot = await client.connect()
        assert snapshot["data"]["ballot"]["tally"] is None
        await client.close()
        socket, snapshot = await open_session_socket(session.join_code, cookies=cookies)
        assert session_tally(snapshot, ballot) is None
        await socket.close()
    await sync_to_async(services.close_ballot)(staff, ballot)
    exact = {"counts": {"yes": 0, "no": 1, "abstain": 0}, "total": 1}
    client = LiveClient(f"/ws/ballots/{ballot.pk}/")
    assert (await client.connect())["data"]["ballot"]["tally"] == exact
    await client.close()
    cookies = await sync_to_async(login_cookie)(facilitator)
    socket, snapshot = await open_session_socket(session.join_code, cookies=cookies)
    assert session_tally(snapshot, ballot) == exact
    await socket.close()


def test_it_shows_staff_no_counts_in_exports_or_the_api_until_it_closes(
    client, small_secret, staff
):
    ballot = small_secret
    client.force_login(staff)
    urls = [
        reverse("voting:results_json", args=[ballot.pk]),
        f"/api/v1/ballots/{ballot.pk}/results",
    ]
    for url in urls:
        data = client.get(url).json()
        assert data["options"] == [] and "no" not in data
    csv = client.get(reverse("voting:results_csv", args=[ballot.pk])).content.decode()
    assert csv.strip() == "option_id"
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "the breakdown is shown only when it closes" in page
    services.close_ballot(staff, ballot)
    for url in urls:
        data = client.get(url).json()
        assert data["no"] == 1
        assert {o["label"]: o["online"] for o in data["options"]}["No"] == 1
    csv = client.get(reverse("voting:results_csv", args=[ballot.pk])).content.decode()
    assert len(csv.strip().splitlines()) == 4


def test_an_outcome_recorded_while_it_is_open_keeps_no_counts(
    small_secret, session, facilitator, staff
):
    item = session.items.get(ballot=small_secret)
    item = minutes.record_outcome(facilitator, item, outcome="Wait", decision="deferred")
    assert item.outcome_result is None
    services.close_ballot(staff, small_secret)
    item = minutes.record_outcome(facilitator, item, outcome="Done", decision="deferred")
    assert item.outcome_result == {"counts": {"yes": 0, "no": 1, "abstain": 0}, "total": 1}


# --- Item 14: live results of a secret ballot, in steps ----------------------------------


def observed_counts(ballot, client) -> list[dict]:
    """What each surface shows now, as {wire id: count} per surface (None: nothing)."""
    ballot.refresh_from_db()
    snapshot = stream.ballot_info(ballot).tally
    export = json.loads(client.get(reverse("voting:results_json", args=[ballot.pk])).content)
    api = client.get(f"/api/v1/ballots/{ballot.pk}/results").json()
    page = results.results_context(ballot)
    ids = stream.wire_ids(ballot)
    return [
        snapshot.counts if snapshot else None,
        {ids[o["id"]]: o["online"] for o in export["options"]} or None,
        {ids[o["id"]]: o["online"] for o in api["options"]} or None,
        {ids[r["id"]]: r["online"] for r in page.get("rows", [])} or None,
    ]


@pytest.mark.sends("ballot.tally")
def test_live_counts_of_a_secret_ballot_move_only_in_steps(
    sent, client, yes_no_ballot, staff, settings
):
    settings.SPOLU_SECRET_TALLY_STEP = 5
    ballot = yes_no_ballot(secrecy="secret")
    people = voters(12)
    choices = ["yes", "no", "yes", "yes", "no", "no", "yes", "no", "no", "yes", "abstain", "no"]
    seen: list[list] = []
    for person, code in zip(people, choices, strict=True):
        vote(ballot, person, code)
        sent.settle()
        seen.append(observed_counts(ballot, client))
    frames = [f["data"] for s, f in sent if f["type"] == "ballot.tally"]
    published = [f["counts"] for f in frames if f["ballot"] == ballot.pk]
    # Every surface shows the same counts after each vote, and they move only every fifth.
    for shown in seen:
        assert all(s == shown[0] for s in shown)
    distinct = [s[0] for n, s in enumerate(seen) if s[0] and (n == 0 or s[0] != seen[n - 1][0])]
    assert distinct == [
        {"yes": 3, "no": 2, "abstain": 0},
        {"yes": 5, "no": 5, "abstain": 0},
    ]
    totals = [f["total"] for f in frames if f["ballot"] == ballot.pk]
    assert totals == [5, 10]
    assert published == distinct
    for before, after in zip(totals, totals[1:], strict=False):
        assert abs(after - before) >= 2, "two tallies in a row one vote apart"
    # Closing publishes the exact count.
    sent.clear()
    services.close_ballot(staff, ballot)
    final = [f["data"] for s, f in sent.settle() if f["type"] == "ballot.tally"]
    assert final[-1]["final"] is True
    assert final[-1]["counts"] == {"yes": 5, "no": 6, "abstain": 1}
    assert observed_counts(ballot, client)[0] == {"yes": 5, "no": 6, "abstain": 1}


def test_a_withdrawal_takes_a_step_like_a_vote(yes_no_ballot, settings):
    settings.SPOLU_SECRET_TALLY_STEP = 2
    ballot = yes_no_ballot(secrecy="secret")
    people = voters(6)
    for person in people[:5]:
        vote(ballot, person, "yes")
    assert visibility.shown(ballot).voters == 4  # entries 1-4: two steps
    services.withdraw_vote(ballot, people[0])  # entry 6: a step of one cast and a withdrawal
    ballot.refresh_from_db()
    assert visibility.shown(ballot).voters == 4
    assert visibility.shown(ballot).chain_length == 6
