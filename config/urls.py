from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.health import healthz
from config.views import home, not_found

handler404 = not_found

urlpatterns = [
    path("", home, name="home"),
    path("", include("deliberation.urls")),
    path("", include("live.urls")),
    path("", include("proposals.urls")),
    path("", include("proposals.comment_urls")),
    path("ballots/", include("voting.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("", include("opinions.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
