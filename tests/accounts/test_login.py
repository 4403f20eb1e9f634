"""Logging in: by password, by an e-mail code, rate-limited, verification as configured."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_by_email_and_password(client, resident):
    response = client.post(
        "/accounts/login/", {"login": "resident@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/me/profile/").status_code == 200


def test_it_logs_in_with_a_code_sent_by_email(client, resident):
    response = client.post("/accounts/login/code/", {"email": "resident@example.org"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/me/profile/").status_code == 200


def test_a_wrong_code_does_not_log_in(client, resident):
    response = client.post("/accounts/login/code/", {"email": "resident@example.org"})
    client.post(response["Location"], {"code": "WRONG1"})
    assert client.get("/me/profile/").status_code == 302


def test_failed_logins_are_rate_limited(client, resident):
    for _ in range(6):
        client.post("/accounts/login/", {"login": "resident@example.org", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": "resident@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert client.get("/me/profile/").status_code == 302


def test_sign_up_requires_a_verified_address_by_default(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x-Long-pass-9", "password2": "x-Long-pass-9"},
    )
    assert response["Location"].endswith("/accounts/confirm-email/")
    assert "confirm-email" in mail.outbox[-1].body
    assert client.get("/me/profile/").status_code == 302


@override_settings(ACCOUNT_EMAIL_VERIFICATION="none")
def test_verification_can_be_switched_off_by_setting(client):
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x-Long-pass-9", "password2": "x-Long-pass-9"},
    )
    assert client.get("/me/profile/").status_code == 200


def test_sign_up_keeps_the_visitors_language(client):
    client.cookies["django_language"] = "fr"
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x-Long-pass-9", "password2": "x-Long-pass-9"},
    )
    from accounts.models import User

    assert User.objects.get(email="new@example.org").preferred_language == "fr"
