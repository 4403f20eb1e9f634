from django.urls import path

from deliberation import member_views, views

urlpatterns = [
    path("processes/", views.process_list, name="process_list"),
    path("processes/new/", views.process_create, name="process_create"),
    path("processes/<slug:slug>/", views.process_detail, name="process_detail"),
    path("processes/<slug:slug>/edit/", views.process_edit, name="process_edit"),
    # Before live's bodies/<slug>/…: "invitations" is no body's slug here.
    path(
        "bodies/invitations/<str:token>/",
        member_views.invitation_detail,
        name="invitation_detail",
    ),
    path("bodies/<slug:slug>/members/", member_views.body_members, name="body_members"),
    path("bodies/<slug:slug>/members/invite/", member_views.member_invite, name="member_invite"),
    path(
        "bodies/<slug:slug>/members/<int:pk>/",
        member_views.membership_edit,
        name="membership_edit",
    ),
    path(
        "bodies/<slug:slug>/members/<int:pk>/end/",
        member_views.membership_end,
        name="membership_end",
    ),
    path(
        "bodies/<slug:slug>/invitations/<int:pk>/withdraw/",
        member_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
]
