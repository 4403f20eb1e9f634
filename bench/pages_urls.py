"""Spolu's URLs and /bench/bare: the least a Django view can do (bench/pages_settings.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404  # noqa: F401 — handler404 is read here
from config.urls import urlpatterns as site

BARE = b"<!doctype html><title>bare</title><p>ok</p>\n"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE)


urlpatterns = [path("bench/bare", bare), *site]
