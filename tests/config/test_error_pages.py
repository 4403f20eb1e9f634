"""Unknown addresses and server errors get styled pages that leak nothing."""

import pytest
from django.test import Client, override_settings
from django.urls import path


def broken_view(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", broken_view)]


@pytest.mark.django_db
def test_an_unknown_address_gets_the_styled_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="#main"' in html  # the site layout, with its skip link


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_styled_500_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "secret-internal-detail" not in html
    assert "Traceback" not in html
