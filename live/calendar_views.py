"""The `.ics` addresses: one session to add to a calendar, and a body's sessions to
subscribe to (the calendar refetches the feed, so changes reach it)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from deliberation.models import Body
from live import calendar
from live.models import Session
from live.views import get_session_for_user

# How far back a body's feed reaches: a year of meetings, and every one to come.
_FEED_PAST = timedelta(days=365)


def _address(request: HttpRequest, session: Session) -> str:
    return request.build_absolute_uri(reverse("session_detail", args=[session.join_code]))


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def session_ics(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if session.state == Session.State.CANCELLED:
        # Gone for good: the page says so and why, and leads to the session's page (a
        # subscribed body feed tells calendars the same with STATUS:CANCELLED).
        return render(request, "live/session_cancelled_ics.html", {"session": session}, status=410)
    document = calendar.calendar([(session, _address(request, session))], host=request.get_host())
    return _ics(document, f"spolu-{session.join_code}.ics")


def body_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    sessions = (
        Session.objects.filter(body=body, starts_at__gte=timezone.now() - _FEED_PAST)
        .select_related("body")
        .prefetch_related("items")
    )
    document = calendar.calendar(
        ((session, _address(request, session)) for session in sessions),
        host=request.get_host(),
        name=body.name,
    )
    return _ics(document, f"{body.slug}.ics")
