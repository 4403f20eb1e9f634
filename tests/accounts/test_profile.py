"""A person edits their profile; the sector is private."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_saves_name_language_and_sector(client, resident):
    client.force_login(resident)
    response = client.post(
        "/me/profile/",
        {"display_name": "  Rita   R. ", "preferred_language": "fr", "sector": "student"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.preferred_language, resident.sector) == (
        "Rita R.",
        "fr",
        "student",
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_it_refuses_an_unknown_sector_and_changes_nothing(client, resident):
    client.force_login(resident)
    response = client.post(
        "/me/profile/", {"display_name": "X", "preferred_language": "en", "sector": "wizard"}
    )
    assert response.status_code == 200
    assert "errors" in response.content.decode()
    resident.refresh_from_db()
    assert resident.display_name == "Rita Resident"
    assert resident.sector == "resident"


def test_the_interface_follows_the_preferred_language(client, resident):
    resident.preferred_language = "fr"
    resident.save()
    client.force_login(resident)
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html


def test_the_public_name_never_shows_the_email(resident):
    resident.display_name = ""
    assert "@" not in resident.public_name
