"""Static files under hashed names cached for a year, and pages compressed (issue 17): a
returning resident's browser asks for no stylesheet or script again, and pages travel small."""

import gzip
import os
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'href="/static/css/spolu(\.[0-9a-f]{12})?\.css"')


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a scratch STATIC_ROOT, as `make run` and deployments do. The admin's
    and the API docs' files are left out: no resident's page links them, and they are most of
    the seconds collecting takes."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--no-input", verbosity=0, ignore_patterns=["admin", "ninja"])
        yield root


def home_page(**headers) -> str:
    cache.clear()  # a page cached from an earlier test would carry that test's static names
    response = Client().get("/", **headers)
    assert response.status_code == 200
    return response


def stylesheet_url(page) -> str:
    match = STYLESHEET.search(page.content.decode())
    assert match, "the page links no stylesheet"
    return match.group(0)[len('href="') : -1]


def test_pages_link_hashed_static_names(collected):
    url = stylesheet_url(home_page())
    assert re.fullmatch(r"/static/css/spolu\.[0-9a-f]{12}\.css", url)


def test_hashed_static_file_is_cached_for_a_year(collected):
    url = stylesheet_url(home_page())
    response = Client().get(url)
    assert response.status_code == 200
    directives = [part.strip() for part in response["Cache-Control"].split(",")]
    assert "max-age=31536000" in directives
    assert "immutable" in directives


def test_hashed_static_file_comes_compressed(collected):
    url = stylesheet_url(home_page())
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    css = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert "{" in css


def test_plain_static_names_are_not_immutable(collected):
    """The plain name's content changes with the next release, so browsers must ask again."""
    response = Client().get("/static/css/spolu.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_without_collectstatic_pages_link_the_plain_names(tmp_path):
    """A fresh clone (or the test suite's data directory) serves pages before any collectstatic."""
    with override_settings(STATIC_ROOT=tmp_path):
        url = stylesheet_url(home_page())
        assert url == "/static/css/spolu.css"
        assert Client().get(url).status_code == 200


def test_a_stale_manifest_is_ignored(collected):
    """A static file edited since the last collectstatic is linked under its plain name, which
    serves the edit, rather than under the old hashed copy."""
    manifest = collected / "staticfiles.json"
    stat = manifest.stat()
    os.utime(manifest, (0, 0))  # collected long before any source file was last written
    try:
        with override_settings(STATIC_ROOT=collected):  # a fresh storage reads it again
            assert stylesheet_url(home_page()) == "/static/css/spolu.css"
    finally:
        os.utime(manifest, (stat.st_atime, stat.st_mtime))


def test_html_page_is_compressed_for_clients_that_accept_gzip(collected):
    response = home_page(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "<!DOCTYPE html>" in html


def test_html_page_is_plain_for_clients_that_do_not(collected):
    response = home_page()
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!DOCTYPE html>")
