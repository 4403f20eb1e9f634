"""Refuse a request whose text Spolu would store garbled: 400 with a clear message.

Django decodes form posts and query strings with errors="replace", so `title=%FF` would be
saved as U+FFFD, and a NUL reaches the database (a DataError on PostgreSQL). This checks the
raw bytes before anything is decoded: the path, the query string and, for a POST, PUT or PATCH,
every field of a form-encoded body and every non-file field of a multipart one. A U+FFFD the
person typed is valid UTF-8 (`%EF%BF%BD`) and passes; only bytes that are not UTF-8 do not.
"""

from urllib.parse import unquote_to_bytes

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import text

BODY_METHODS = {"POST", "PUT", "PATCH"}


class NotText(Exception):
    """Bytes that are not UTF-8, or text with a character Spolu refuses; `str()` says which."""


def _decoded(raw: bytes) -> str:
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotText(
            _(
                "What was sent is not valid UTF-8 text. Check what you typed or pasted "
                "and send it again."
            )
        ) from None
    if not text.is_clean(value):
        raise NotText(str(text.MESSAGE))
    return value


def _check_urlencoded(data: str | bytes) -> None:
    if isinstance(data, str):
        # WSGI hands the query string over as latin-1 ("bytes as str"); ASGI as UTF-8 text.
        try:
            data = data.encode("latin-1")
        except UnicodeEncodeError:
            data = data.encode("utf-8")
    for pair in data.split(b"&"):
        for piece in pair.split(b"=", 1):
            _decoded(unquote_to_bytes(piece.replace(b"+", b" ")))


def _check_multipart(body: bytes, boundary: str) -> None:
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        headers, _blank, value = part.partition(b"\r\n\r\n")
        if not value or b"filename=" in headers.lower():
            continue  # the closing "--", or a file: files are not text
        _decoded(headers)
        _decoded(value.removesuffix(b"\r\n"))


def check_request(request) -> None:
    """NotText when the request carries text that is not clean UTF-8."""
    _decoded(request.path.encode("utf-8", "surrogatepass"))
    _check_urlencoded(request.META.get("QUERY_STRING", ""))
    if request.method not in BODY_METHODS:
        return
    if request.content_type == "application/x-www-form-urlencoded":
        _check_urlencoded(request.body)
    elif request.content_type == "multipart/form-data" and request.content_params.get("boundary"):
        _check_multipart(request.body, request.content_params["boundary"])


class TextInputMiddleware:
    """Answers 400 to a request whose text is not clean UTF-8, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except NotText as problem:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(problem)}, status=400)
            return render(request, "400.html", {"message": str(problem)}, status=400)
        return self.get_response(request)
