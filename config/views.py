"""The home page: what is open now in each part of Spolu, each part asked for its summary."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actionplan.tracker import home_summary
from deliberation.models import City, Process
from live.views import home_sessions


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "city": City.objects.order_by("pk").first(),
            "processes": list(Process.objects.prefetch_related("phases")[:6]),
            "actionplan": home_summary(request.user),
            "sessions": home_sessions(),
        },
    )
