from tests.factories import option_ids
from voting import services


def test_the_api_lists_open_ballots_but_not_drafts(client, make_ballot):
    shown = make_ballot()
    make_ballot(open_=False)
    data = client.get("/api/v1/ballots/").json()
    assert [b["id"] for b in data["items"]] == [shown.pk]
    assert data["items"][0]["options"][0]["label"] == "Pond"


def test_the_api_gives_results_only_where_visible(client, make_ballot, resident, staff):
    ballot = make_ballot(results_visibility="after_close")
    services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")
    assert client.get(f"/api/v1/ballots/{ballot.pk}/results").status_code == 403
    services.close_ballot(staff, ballot)
    data = client.get(f"/api/v1/ballots/{ballot.pk}/results").json()
    assert data["voters_online"] == 1 and data["final_hash"]


def test_the_api_hides_a_draft(client, make_ballot):
    ballot = make_ballot(open_=False)
    assert client.get(f"/api/v1/ballots/{ballot.pk}").status_code == 404
