"""The ballot pages, driven through the test client like a browser without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.factories import option_ids
from voting import services
from voting.models import Ballot, PaperCount, Vote


def vote_page(client, ballot):
    response = client.get(reverse("voting:ballot_detail", args=[ballot.pk]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode())
    return response, key.group(1) if key else None


def test_a_resident_votes_in_a_ranked_ballot_without_javascript(client, make_ballot, resident):
    ballot = make_ballot(method="ranked")
    a, b, c = option_ids(ballot)
    client.force_login(resident)
    response, key = vote_page(client, ballot)
    assert 'name="rank_1"' in response.content.decode()
    response = client.post(
        reverse("voting:ballot_vote", args=[ballot.pk]),
        {"idempotency_key": key, "rank_1": b, "rank_2": a, "rank_3": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "receipt code" in response.content.decode()
    assert Vote.objects.get(ballot=ballot).choice == {"ranking": [b, a]}


def test_posting_the_same_form_twice_counts_once(client, make_ballot, resident):
    ballot = make_ballot()
    client.force_login(resident)
    _response, key = vote_page(client, ballot)
    url = reverse("voting:ballot_vote", args=[ballot.pk])
    first = client.post(url, {"idempotency_key": key, "option": option_ids(ballot)[0]})
    second = client.post(url, {"idempotency_key": key, "option": option_ids(ballot)[0]})
    assert first.status_code == second.status_code == 302
    assert ballot.tally.__class__.objects.get(ballot=ballot).chain_length == 1


def test_a_malformed_vote_gets_a_clear_message_and_changes_nothing(client, make_ballot, resident):
    ballot = make_ballot(method="ranked")
    a = option_ids(ballot)[0]
    client.force_login(resident)
    url = reverse("voting:ballot_vote", args=[ballot.pk])
    response = client.post(url, {"idempotency_key": "k", "rank_1": a, "rank_2": a})
    assert response.status_code == 400
    assert "ranked twice" in response.content.decode()
    response = client.post(url, {"idempotency_key": "k2", "rank_1": "nonsense"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_an_ineligible_person_sees_why(client, make_ballot, resident, board):
    ballot = make_ballot(eligibility="body_members", body=board)
    client.force_login(resident)
    response = client.get(reverse("voting:ballot_detail", args=[ballot.pk]))
    assert "Only members of CoLaboratory Board vote" in response.content.decode()
    response = client.post(
        reverse("voting:ballot_vote", args=[ballot.pk]),
        {"idempotency_key": "k", "option": option_ids(ballot)[0]},
    )
    assert response.status_code == 403 and not Vote.objects.exists()


def test_a_member_of_the_body_may_vote(make_ballot, member, board):
    ballot = make_ballot(eligibility="body_members", body=board)
    services.cast_vote(ballot, member, {"option": option_ids(ballot)[0]}, "k")
    assert Vote.objects.filter(voter=member).exists()


def test_session_eligibility_refuses_someone_not_at_the_session(make_ballot, resident):
    ballot = make_ballot(eligibility="session_attendees")
    with pytest.raises(services.NotEligible, match="taking part in the session"):
        services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")


def test_a_draft_ballot_is_hidden_from_residents(client, make_ballot, resident):
    ballot = make_ballot(open_=False)
    client.force_login(resident)
    assert client.get(reverse("voting:ballot_detail", args=[ballot.pk])).status_code == 404


def test_a_facilitator_creates_opens_and_closes_a_ballot_of_their_body(
    client, process, facilitator, board
):
    client.force_login(facilitator)
    response = client.post(
        reverse("voting:ballot_create", args=[process.slug]),
        {
            "question": "Which bench?",
            "method": "single",
            "eligibility": "signed_in",
            "body": board.pk,
            "secrecy": "public",
            "results_visibility": "live",
            "min_selections": 1,
            "score_max": 5,
            "dots_per_voter": 5,
            "ranked_counting": "irv",
            "majority": "simple",
            "options_text": "Wood\nMetal\n",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ballot = Ballot.objects.get(question="Which bench?")
    assert [o.label for o in ballot.options.all()] == ["Wood", "Metal"]
    client.post(reverse("voting:ballot_open", args=[ballot.pk]))
    ballot.refresh_from_db()
    assert ballot.state == "open"
    response = client.post(reverse("voting:ballot_edit", args=[ballot.pk]), {"question": "X"})
    ballot.refresh_from_db()
    assert ballot.question == "Which bench?"  # frozen once open
    client.post(reverse("voting:ballot_close", args=[ballot.pk]))
    ballot.refresh_from_db()
    assert ballot.state == "closed"


def test_a_resident_cannot_close_a_ballot(client, make_ballot, resident):
    ballot = make_ballot()
    client.force_login(resident)
    response = client.post(reverse("voting:ballot_close", args=[ballot.pk]))
    assert response.status_code == 403
    ballot.refresh_from_db()
    assert ballot.state == "open"


def test_options_are_frozen_once_open(make_ballot, staff):
    ballot = make_ballot()
    with pytest.raises(services.BallotFrozen):
        services.update_ballot(staff, ballot, options=[{"label": "New"}, {"label": "Other"}])
    assert ballot.options.count() == 3


def test_paper_counts_are_shown_apart_and_combined(client, make_ballot, staff, resident):
    ballot = make_ballot(results_visibility="live")
    pond, playground, _ = option_ids(ballot)
    services.cast_vote(ballot, resident, {"option": pond}, "k")
    client.force_login(staff)
    response = client.post(
        reverse("voting:paper_count", args=[ballot.pk]),
        {
            f"option_{pond}": 2,
            f"option_{playground}": 5,
            f"option_{option_ids(ballot)[2]}": 0,
            "ballots_cast": 7,
            "note": "Box 1",
        },
    )
    assert response.status_code == 302
    entry = PaperCount.objects.get()
    assert entry.entered_by == staff and entry.note == "Box 1"
    data = client.get(reverse("voting:results_json", args=[ballot.pk])).json()
    row = next(r for r in data["options"] if r["id"] == pond)
    assert (row["online"], row["paper"], row["combined"]) == (1, 2, 3)
    # A correction replaces the entry but keeps it in the record.
    services.enter_paper_count(
        staff, ballot, counts={str(pond): 1}, ballots_cast=7, note="recounted", replaces=entry
    )
    data = client.get(reverse("voting:results_json", args=[ballot.pk])).json()
    assert next(r for r in data["options"] if r["id"] == pond)["paper"] == 1
    assert PaperCount.objects.count() == 2


def test_paper_counts_over_the_ballots_cast_are_refused(make_ballot, staff):
    ballot = make_ballot()
    with pytest.raises(services.InvalidVote):
        services.enter_paper_count(
            staff, ballot, counts={str(option_ids(ballot)[0]): 9}, ballots_cast=3
        )
    assert not PaperCount.objects.exists()


def test_a_paper_dot_ballot_may_put_several_dots_on_one_option(make_ballot, staff):
    ballot = make_ballot(method="dots", dots_per_voter=5, max_dots_per_option=3)
    first = str(option_ids(ballot)[0])
    services.enter_paper_count(staff, ballot, counts={first: 6}, ballots_cast=2)
    with pytest.raises(services.InvalidVote):  # 2 papers, at most 3 dots each on one option
        services.enter_paper_count(staff, ballot, counts={first: 7}, ballots_cast=2)
    assert PaperCount.objects.get().counts == {first: 6}


def test_results_after_close_are_hidden_while_open(client, make_ballot, resident, staff):
    ballot = make_ballot(results_visibility="after_close")
    services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")
    client.force_login(resident)
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "shown when the ballot closes" in page
    assert client.get(reverse("voting:results_json", args=[ballot.pk])).status_code == 403
    services.close_ballot(staff, ballot)
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "Final hash of the vote log" in page
    assert ballot.tally.__class__.objects.get(ballot=ballot).head_hash in page


def test_a_secret_ballot_with_few_votes_shows_no_breakdown_until_closed(
    client, make_ballot, resident, staff
):
    ballot = make_ballot(secrecy="secret", results_visibility="live")
    services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "breakdown is shown only when it closes" in page
    assert "Votes per option" not in page
    services.close_ballot(staff, ballot)
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "Votes per option" in page


def test_the_irv_rounds_are_shown_after_close(client, make_ballot, make_user, staff):
    ballot = make_ballot(method="ranked")
    a, b, c = option_ids(ballot)
    for n, ranking in enumerate([[a, b], [b, a], [c, b], [a], [b]]):
        services.cast_vote(ballot, make_user(f"v{n}@example.org"), {"ranking": ranking}, "k")
    services.close_ballot(staff, ballot)
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "Instant-runoff rounds" in page
    assert "Benches is eliminated" in page
    assert "Playground wins" in page


def test_the_receipt_page_confirms_without_showing_a_secret_choice(client, make_ballot, resident):
    ballot = make_ballot(secrecy="secret")
    receipt = services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k").receipt
    page = client.get(reverse("voting:receipt"), {"code": receipt.lower()}).content.decode()
    assert "This vote is counted." in page
    assert "Pond" not in page
    newer = services.cast_vote(ballot, resident, {"option": option_ids(ballot)[1]}, "k2").receipt
    page = client.get(reverse("voting:receipt"), {"code": receipt}).content.decode()
    assert "no longer counted" in page
    page = client.get(reverse("voting:receipt"), {"code": newer}).content.decode()
    assert "This vote is counted." in page
    page = client.get(reverse("voting:receipt"), {"code": "NOPE-NOPE-NOPE"}).content.decode()
    assert "No vote has this receipt code" in page


def test_a_public_receipt_shows_the_choice(client, make_ballot, resident):
    ballot = make_ballot()
    receipt = services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k").receipt
    page = client.get(reverse("voting:receipt"), {"code": receipt}).content.decode()
    assert "Pond" in page and resident.display_name not in page


def test_results_by_sector_mark_cross_sector_support(client, make_ballot, make_user):
    ballot = make_ballot(method="multiple", max_selections=3, results_visibility="live")
    pond, playground, benches = option_ids(ballot)
    for n, sector in enumerate(["student", "student", "business", "business"]):
        voter = make_user(f"s{n}@example.org", sector=sector)
        picks = [pond, playground] if sector == "student" else [pond, benches]
        services.cast_vote(ballot, voter, {"options": picks}, "k")
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    section = page[page.index("Results by sector") :]
    rows = re.findall(r'<th scope="row">(\w+)</th>.*?<td>(?:<strong>)?(Yes|No)', section, re.S)
    assert dict(rows) == {"Pond": "Yes", "Playground": "No", "Benches": "No"}


def test_a_secret_ballot_splits_by_sector_only_with_five_per_group(make_ballot, make_user, staff):
    from voting.results import by_sector

    students = [make_user(f"a{n}@example.org", sector="student") for n in range(5)]
    lone = make_user("lone@example.org", sector="business")
    for who in (students, [*students, lone]):
        ballot = make_ballot(secrecy="secret")
        for voter in who:
            services.cast_vote(ballot, voter, {"option": option_ids(ballot)[0]}, "k")
        # While it is open each vote would move its sector's column: no split until it closes.
        assert by_sector(ballot) is None
        ballot = services.close_ballot(staff, ballot)
        split = by_sector(ballot)
        assert (split is not None) == (who is students)


def test_the_exports_hold_the_results(client, make_ballot, resident, staff):
    ballot = make_ballot(method="budget", budget_total=100, costs=[60, 50, 40])
    a, b, c = option_ids(ballot)
    services.cast_vote(ballot, resident, {"options": [a, c]}, "k")
    services.close_ballot(staff, ballot)
    data = client.get(reverse("voting:results_json", args=[ballot.pk])).json()
    assert [r["winner"] for r in data["options"]] == [True, False, True]
    csv_text = client.get(reverse("voting:results_csv", args=[ballot.pk])).content.decode()
    assert csv_text.splitlines()[0].startswith("option_id,label,online,paper,combined,cost")
    log = client.get(reverse("voting:vote_log", args=[ballot.pk])).json()
    assert log["entries"][-1]["hash"] == data["final_hash"]
    assert set(log["entries"][0]) == {
        "index",
        "kind",
        "receipt_digest",
        "payload_digest",
        "prev_hash",
        "hash",
    }


def test_the_pages_are_translated(client, make_ballot, resident):
    ballot = make_ballot(method="ranked", results_visibility="live")
    client.force_login(resident)
    for language, words in {"sk": "Voľba číslo 1", "fr": "Choix numéro 1"}.items():
        client.cookies["django_language"] = language
        page = client.get(reverse("voting:ballot_detail", args=[ballot.pk])).content.decode()
        assert words in page
    page = client.get(reverse("voting:ballot_results", args=[ballot.pk])).content.decode()
    assert "Tours du vote alternatif" in page or "Participation" in page


def test_after_a_key_change_the_results_show_without_the_sector_split(
    client, make_ballot, make_user, staff, settings
):
    """The papers' sectors are sealed with the server's key: with another key the split by
    sector cannot be read, but the counts can, and the page shows them instead of failing."""
    from voting.results import by_sector

    ballot = make_ballot(secrecy="secret", results_visibility="after_close")
    students = [make_user(f"s{n}@example.org", sector="student") for n in range(5)]
    for voter in students:
        services.cast_vote(ballot, voter, {"option": option_ids(ballot)[0]}, "k")
    ballot = services.close_ballot(staff, ballot)
    assert by_sector(ballot) is not None
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another server's key " * 3, []
    assert by_sector(ballot) is None
    response = client.get(reverse("voting:ballot_results", args=[ballot.pk]))
    assert response.status_code == 200
    assert "Results by sector" not in response.content.decode()
    data = client.get(reverse("voting:results_json", args=[ballot.pk])).json()
    assert sum(row["combined"] for row in data["options"]) == 5


def test_after_a_key_change_a_ranked_ballot_still_counts_its_rounds(
    client, make_ballot, make_user, staff, settings
):
    ballot = make_ballot(method="ranked", ranked_counting="irv", secrecy="secret")
    ranking = option_ids(ballot)
    for n in range(3):
        services.cast_vote(ballot, make_user(f"r{n}@example.org"), {"ranking": ranking}, "k")
    ballot = services.close_ballot(staff, ballot)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another server's key " * 3, []
    assert client.get(reverse("voting:ballot_results", args=[ballot.pk])).status_code == 200
    data = client.get(reverse("voting:results_json", args=[ballot.pk])).json()
    assert data["winner"] == ranking[0]
