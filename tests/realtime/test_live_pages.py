"""The proposal page and the results page load the live client for their stream."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_proposal_page_follows_its_stream(client, proposal):
    client.cookies["django_language"] = "fr"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "realtime/live.js" in page
    assert f'data-path="/ws/proposals/{proposal.pk}/"' in page
    assert 'data-comments="Commentaires : {count}"' in page
    assert 'id="live-announcer"' in page and 'aria-live="polite"' in page


def test_the_results_page_follows_its_ballot(client, make_ballot):
    ballot = make_ballot()
    page = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert f'data-path="/ws/ballots/{ballot.pk}/"' in page
    assert "voting/live-ballot.js" in page
