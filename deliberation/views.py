from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deliberation.models import City


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"city": City.objects.order_by("pk").first()})
