from django.urls import path

from actionplan import views
from actionplan.feeds import ProgressFeed

app_name = "actionplan"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("new/", views.plan_add, name="plan_add"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/move/", views.priority_move, name="priority_move"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update_edit"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/follow/", views.commitment_follow, name="commitment_follow"),
    path("commitments/<int:pk>/unfollow/", views.commitment_unfollow, name="commitment_unfollow"),
    path("commitments/<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("commitments/<int:pk>/updates/new/", views.update_add, name="update_add"),
    path("commitments/<int:pk>/assessments/new/", views.assessment_add, name="assessment_add"),
    path("commitments/<int:pk>/history/", views.commitment_history, name="history"),
    path("promote/<str:kind>/<int:pk>/", views.promote, name="promote"),
    path("promote-action-item/<int:pk>/", views.promote_action_item, name="promote_action_item"),
    path("<slug:slug>/", views.plan_detail, name="plan"),
    path("<slug:slug>/edit/", views.plan_edit, name="plan_edit"),
    path("<slug:slug>/priorities/new/", views.priority_add, name="priority_add"),
    path("<slug:slug>/participation/", views.participation, name="participation"),
    path("<slug:slug>/commitments/new/", views.commitment_add, name="commitment_add"),
    path("<slug:slug>/endorse/", views.endorse, name="endorse"),
    path(
        "endorsements/<int:pk>/withdraw/",
        views.endorsement_withdraw,
        name="endorsement_withdraw",
    ),
    path("<slug:slug>/reports/new/", views.monitor_report_add, name="monitor_report_add"),
    path("<slug:slug>/feed/", ProgressFeed(), name="feed"),
    path("<slug:slug>/export.json", views.export_json, name="export_json"),
    path("<slug:slug>/export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/report.md", views.export_markdown, name="export_markdown"),
]
