from django.urls import path, re_path

from live import body_views, calendar_views, minutes_views, roll_call_views, views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<str:code>/", views.session_detail, name="session_detail"),
    path("sessions/<str:code>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<str:code>/invite/", views.session_invite, name="session_invite"),
    path("sessions/<str:code>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<str:code>/qr.svg", views.session_qr, name="session_qr"),
    path("sessions/<str:code>/calendar.ics", calendar_views.session_ics, name="session_ics"),
    path("sessions/<str:code>/agenda/", views.session_agenda, name="session_agenda"),
    path("sessions/<str:code>/agenda/<int:pk>/move/", views.agenda_move, name="agenda_move"),
    path("sessions/<str:code>/agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("sessions/<str:code>/live/", views.session_participant, name="session_participant"),
    path("sessions/<str:code>/console/", views.session_console, name="session_console"),
    path("sessions/<str:code>/projector/", views.session_projector, name="session_projector"),
    path(
        "sessions/<str:code>/roll-call/", roll_call_views.roll_call_record, name="roll_call_record"
    ),
    path(
        "sessions/<str:code>/attendance.csv",
        roll_call_views.attendance_download,
        name="attendance_download",
    ),
    path("sessions/<str:code>/act/", views.session_action, name="session_action"),
    path("sessions/<str:code>/minutes/", views.session_minutes, name="session_minutes"),
    path("sessions/<str:code>/minutes/edit/", minutes_views.minutes_edit, name="minutes_edit"),
    path(
        "sessions/<str:code>/minutes/publish/",
        minutes_views.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "sessions/<str:code>/minutes.md",
        views.session_minutes_markdown,
        name="session_minutes_markdown",
    ),
    path(
        "sessions/<str:code>/amendments/<int:pk>/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path("bodies/", body_views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", body_views.body_detail, name="body_detail"),
    path("bodies/<slug:slug>/name/", body_views.body_name_shown, name="body_name_shown"),
    path("bodies/<slug:slug>/sessions.ics", calendar_views.body_calendar, name="body_calendar"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join_session, name="join_session"),
    # The projector's short address; with or without the slash, as people type it.
    re_path(r"^j/(?P<code>[^/]+)/?$", views.join_short, name="join_short"),
]
