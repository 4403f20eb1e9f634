"""Text that is not UTF-8 or holds a control character is refused with a clear 400 wherever it
comes in over HTTP, and nothing is stored (issue 13, item 12). The socket: tests/live/
test_control_characters.py."""

import pytest
from django.urls import reverse
from pydantic import TypeAdapter, ValidationError

from core.text import Text
from proposals.models import Proposal

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def signed_in(client, resident, english):
    client.force_login(resident)
    return client


def post_raw(client, url, body: bytes, content_type=FORM):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("title", [b"%FF", b"Fount%E1in", b"%C3", b"%ED%A0%80"])
def test_a_form_post_that_is_not_utf8_is_refused(signed_in, process, title):
    url = reverse("proposal_create", args=[process.slug])
    response = post_raw(signed_in, url, b"title=" + title + b"&body=B&publish=")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("body", [b"B%00", b"B%07", b"B%1B", b"B%C2%85"])
def test_a_form_post_with_a_control_character_is_refused(signed_in, process, body):
    url = reverse("proposal_create", args=[process.slug])
    response = post_raw(signed_in, url, b"title=Fountain&body=" + body + b"&publish=")
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_multipart_post_is_checked_too(signed_in, process):
    url = reverse("proposal_create", args=[process.slug])
    response = signed_in.post(url, {"title": "Fount\x00ain", "body": "B", "publish": ""})
    assert response.status_code == 400
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'.encode()
        + b"Fount\xffain\r\n"
        + f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nB\r\n'.encode()
        + f"--{boundary}--\r\n".encode()
    )
    response = post_raw(signed_in, url, body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Proposal.objects.exists()


def test_clean_text_with_a_typed_replacement_character_is_kept(signed_in, process):
    url = reverse("proposal_create", args=[process.slug])
    body = "title=Fontána %EF%BF%BD&body=Line%0D%0ATab%09end&publish=".encode()
    response = post_raw(signed_in, url, body)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "Fontána \ufffd"
    assert proposal.body == "Line\r\nTab\tend"
    response = signed_in.post(url, {"title": "Tab\tand é", "body": "B", "publish": ""})
    assert response.status_code == 302


@pytest.mark.parametrize("query", ["process=%00", "process=%FF", "state=%01", "page=%00"])
def test_api_query_strings_are_checked(client, db, query):
    response = client.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_page_query_strings_and_paths_are_checked(client, process):
    assert client.get(f"/processes/{process.slug}/?q=%FF").status_code == 400
    assert client.get("/api/v1/processes/a%00b").status_code == 400


@pytest.mark.parametrize("value", ["\x00", "a\x1fb", "\x7f", "\ud800"])
def test_the_shared_text_type_refuses_control_characters(value):
    with pytest.raises(ValidationError, match="control character"):
        TypeAdapter(Text).validate_python(value)
    assert TypeAdapter(Text).validate_python("tab\tline\nend\r") == "tab\tline\nend\r"
