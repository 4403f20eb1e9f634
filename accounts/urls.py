from django.urls import path

from accounts import notification_views, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path(
        "notifications/<int:pk>/",
        notification_views.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read/",
        notification_views.notification_mark_read,
        name="notification_mark_read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
]
