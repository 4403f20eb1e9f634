"""The home page: what is open now in each part of Spolu, each part asked for its summary."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from actionplan.tracker import home_summary
from core.pagecache import anonymous_page
from deliberation.models import City, Process
from live.views import home_sessions


@anonymous_page
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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A page that does not exist; under /api/ an answer in the API's own shape (JSON, as its
    schema documents for 404), also for addresses no route matches (`/api/v1/proposals/-1`)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)
