from django.urls import path

from proposals import views

urlpatterns = [
    path("processes/<slug:slug>/proposals/", views.proposal_list, name="proposal_list"),
    path("processes/<slug:slug>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("proposals/<int:pk>/unsupport/", views.proposal_unsupport, name="proposal_unsupport"),
    path("proposals/<int:pk>/follow/", views.proposal_follow, name="proposal_follow"),
    path("proposals/<int:pk>/unfollow/", views.proposal_unfollow, name="proposal_unfollow"),
    path("proposals/<int:pk>/publish/", views.proposal_publish, name="proposal_publish"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
]
