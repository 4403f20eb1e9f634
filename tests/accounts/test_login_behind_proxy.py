"""Failed logins are counted per client address, the same address every Spolu limit uses
(core.clients): behind the proxy, the one the proxy saw; without it, the connection's own."""

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
# allauth's default is 10 failures a minute per address; an hour keeps a slow machine from
# letting the window pass before the test looks, and 3 keeps the test short.
FAILED_LOGINS = {"login_failed": "3/h/ip,5/300s/key"}


def fail_logins(client, count: int, **headers) -> None:
    for n in range(count):
        client.post(LOGIN, {"login": f"nobody{n}@example.org", "password": "wrong"}, **headers)


def assert_locked_out(response) -> None:
    assert response.status_code in {200, 429}
    assert "Too many failed login attempts" in response.content.decode()


def test_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(
    client, settings, english
):
    settings.SPOLU_TRUSTED_PROXY_COUNT = 1  # what SPOLU_BEHIND_PROXY=1 sets
    settings.ACCOUNT_RATE_LIMITS = FAILED_LOGINS
    make_user("someone@example.org")
    # Every request reaches Spolu from the proxy (REMOTE_ADDR 10.0.0.2).
    fail_logins(client, 4, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    response = client.post(
        LOGIN,
        {"login": "someone@example.org", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="5.6.7.8",
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_failures_from_the_locked_out_client_stay_locked_out_behind_the_proxy(
    client, settings, english
):
    settings.SPOLU_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = FAILED_LOGINS
    make_user("someone@example.org")
    fail_logins(client, 4, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.5")
    # The client prepends an address of its choice; the proxy appends the one it saw.
    response = client.post(
        LOGIN,
        {"login": "someone@example.org", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.5",
    )
    assert_locked_out(response)


def test_without_the_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
    client, settings, english
):
    settings.SPOLU_TRUSTED_PROXY_COUNT = 0  # the default without SPOLU_BEHIND_PROXY
    settings.ACCOUNT_RATE_LIMITS = FAILED_LOGINS
    make_user("someone@example.org")
    fail_logins(client, 4, REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.6")
    response = client.post(
        LOGIN,
        {"login": "someone@example.org", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.3",
        HTTP_X_FORWARDED_FOR="5.6.7.9",
    )
    assert_locked_out(response)
