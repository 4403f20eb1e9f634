"""Anonymous pages kept in the cache (core.pagecache): served again without a query, never
stale after a change made through a service, and each visitor's forms carry their own CSRF
token, so the language switch and other posts keep working from a kept page."""

import re

import pytest
from django.test import Client

from actionplan.models import ActionPlan, Milestone, Priority
from actionplan.services import create_commitment, update_milestone
from proposals.comments import create_comment
from proposals.services import support_proposal, withdraw_proposal
from voting import services as voting

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor(language="en") -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    return client


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_anonymous_visitor_gets_the_page_without_a_query(
    proposal, django_assert_num_queries
):
    url = f"/proposals/{proposal.pk}/"
    first = text(visitor().get(url))
    with django_assert_num_queries(0):
        again = text(visitor().get(url))
    assert TOKEN.sub("", first) == TOKEN.sub("", again)


def test_a_support_shows_on_the_next_anonymous_page(proposal, neighbour):
    url = f"/proposals/{proposal.pk}/"
    assert "0 supports" in text(visitor().get(url))
    support_proposal(neighbour, proposal)
    assert "1 support" in text(visitor().get(url))


def test_a_comment_shows_on_the_next_anonymous_page(proposal, neighbour):
    url = f"/proposals/{proposal.pk}/"
    text(visitor().get(url))
    create_comment(neighbour, proposal, body="Shade by the *sandpit*, please.")
    assert "Shade by the <em>sandpit</em>, please." in text(visitor().get(url))


def test_withdrawing_a_proposal_shows_on_the_next_anonymous_page(proposal, resident):
    url = f"/proposals/{proposal.pk}/"
    assert "it takes no more comments" not in text(visitor().get(url))
    withdraw_proposal(resident, proposal)
    assert "This proposal was withdrawn; it takes no more comments." in text(visitor().get(url))


def test_opening_and_closing_a_ballot_show_on_the_next_anonymous_page(make_ballot, staff):
    ballot = make_ballot()
    url = f"/ballots/{ballot.pk}/"
    assert "<strong>Open</strong>" in text(visitor().get(url))
    voting.close_ballot(staff, ballot)
    assert "<strong>Closed</strong>" in text(visitor().get(url))


def test_a_milestones_progress_shows_on_the_next_anonymous_page(db, staff):
    plan = ActionPlan.objects.create(
        title="Plan",
        slug="plan",
        period_start="2024-09-01",
        period_end="2026-08-31",
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    priority = Priority.objects.create(plan=plan, number=1, title="Open data")
    commitment = create_commitment(
        staff, plan, title="Open data", priority=priority, is_published=True
    )
    milestone = Milestone.objects.create(commitment=commitment, title="Portal", due_on="2025-06-01")
    url = f"/action-plan/{plan.slug}/"
    assert "0 % — 0 of 1 milestones done" in text(visitor().get(url))
    update_milestone(staff, milestone, progress=100)
    assert "100 % — 1 of 1 milestones done" in text(visitor().get(url))


def test_each_language_has_its_own_page_and_the_switch_works_from_a_kept_page(process):
    assert 'lang="sk"' in text(visitor("sk").get("/processes/"))
    assert 'lang="en"' in text(visitor("en").get("/processes/"))
    # A visitor with no language cookie gets the kept Slovak page and switches to English
    # with the form on it: their own token passes the CSRF check.
    reader = Client(enforce_csrf_checks=True)
    page = text(reader.get("/processes/"))
    assert '<html lang="sk"' in page
    switched = reader.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/processes/", "csrfmiddlewaretoken": TOKEN.search(page)[1]},
    )
    assert switched.status_code == 302
    assert '<html lang="en"' in text(reader.get("/processes/"))


def test_two_visitors_of_a_kept_page_each_get_their_own_working_token(process):
    first, second = visitor(), visitor()
    first_page = first.get("/")
    second_page = second.get("/")  # from the cache
    first_token, second_token = (
        TOKEN.search(text(first_page))[1],
        TOKEN.search(text(second_page))[1],
    )
    assert first_token != second_token
    # Each got a CSRF cookie of their own, and no session cookie of anyone's.
    assert "csrftoken" in second_page.cookies
    assert "sessionid" not in second_page.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    for client, token in ((first, first_token), (second, second_token)):
        response = client.post(
            "/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    # Another visitor's token is refused: the kept page did not hand anyone's token on.
    refused = first.post("/i18n/setlang/", {"language": "sk", "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    # The page varies on the cookie and the language, kept or not.
    assert "Cookie" in second_page["Vary"]
    assert "Accept-Language" in second_page["Vary"]


def test_a_visitors_message_is_neither_kept_nor_shown_to_the_next(process, resident):
    text(visitor().get("/"))  # the home page is kept
    signed_out = Client()
    signed_out.cookies["django_language"] = "en"
    signed_out.force_login(resident)
    page = signed_out.post("/accounts/logout/", follow=True)
    assert "You have signed out." in text(page)
    assert "You have signed out." not in text(visitor().get("/"))
    assert "You have signed out." not in text(visitor().get("/"))


def test_a_signed_in_visitor_never_gets_the_anonymous_page(proposal, neighbour):
    url = f"/proposals/{proposal.pk}/"
    text(visitor().get(url))
    reader = visitor()
    reader.force_login(neighbour)
    assert "Log in to comment." not in text(reader.get(url))
    assert "Log in to comment." in text(visitor().get(url))


def test_the_pages_are_retired_again_when_the_change_commits(
    proposal, neighbour, monkeypatch, django_capture_on_commit_callbacks
):
    """A page another process renders between the write and the commit shows the old rows;
    the second retirement at commit keeps it from outliving the change. The statements of one
    savepoint (a vote's, in a batch of hundreds) retire once, not each."""
    from django.core.cache import cache
    from django.db import transaction

    from core import pagecache

    pagecache.content_changed()
    retirements = []
    real = pagecache.content_changed
    monkeypatch.setattr(pagecache, "content_changed", lambda: retirements.append(real()))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        support_proposal(neighbour, proposal)  # several statements in one savepoint
        during = cache.get(pagecache._version_key())
        assert len(retirements) == 1
    assert cache.get(pagecache._version_key()) != during
    assert len(retirements) == 2  # at once, and at commit; not once per statement


@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_shows_on_the_embedded_database(process, resident):
    """On SQLite each process keeps its own pages in its own memory: another process's write
    (here a plain sqlite3 connection, as a command or a second server would be) still shows."""
    import sqlite3

    from django.db import connection

    from proposals.services import create_proposal

    if connection.vendor != "sqlite":
        pytest.skip("the database files' times matter on the embedded SQLite database only")
    proposal = create_proposal(resident, process, title="More benches", body="By the pond.")
    url = f"/proposals/{proposal.pk}/"
    assert "More benches" in text(visitor().get(url))
    other = sqlite3.connect(connection.settings_dict["NAME"])
    with other:
        other.execute(
            "UPDATE proposals_proposal SET title = ? WHERE id = ?", ["Shade trees", proposal.pk]
        )
    other.close()
    assert "Shade trees" in text(visitor().get(url))


def test_an_unreachable_cache_slows_pages_but_fails_nothing(proposal, neighbour, monkeypatch):
    """Redis down (tests/realtime/test_redis_outage.py runs the real thing): a support is still
    saved and the anonymous page is still served, rendered afresh."""
    from core import pagecache

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(pagecache.cache, "get", unreachable)
    monkeypatch.setattr(pagecache.cache, "set", unreachable)
    support_proposal(neighbour, proposal)
    page = visitor().get(f"/proposals/{proposal.pk}/")
    assert page.status_code == 200 and "1 support" in text(page)
