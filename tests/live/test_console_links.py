"""The console links only to pages its facilitator may open: once the session is closed its
agenda can no longer change, so there is no "Prepare the agenda" link that would end on a
refusal (found by the crawl of every page, tests/e2e/test_every_page.py)."""

from django.urls import reverse

from live.services import sessions


def console(client, session) -> str:
    return client.get(reverse("session_console", args=[session.join_code])).content.decode()


def test_a_live_sessions_console_links_to_its_agenda(client, live_session, facilitator):
    client.force_login(facilitator)
    assert reverse("session_agenda", args=[live_session.join_code]) in console(client, live_session)


def test_a_closed_sessions_console_does_not(client, live_session, facilitator):
    closed = sessions.close_session(facilitator, live_session)
    client.force_login(facilitator)
    agenda = reverse("session_agenda", args=[closed.join_code])
    assert client.get(agenda).status_code == 403
    assert agenda not in console(client, closed)
