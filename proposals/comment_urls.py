from django.urls import path

from proposals import comment_views as views

urlpatterns = [
    path("proposals/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("proposals/<int:pk>/report/", views.proposal_report, name="proposal_report"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/decide/", views.moderation_decide, name="moderation_decide"),
    path("moderation/log/", views.moderation_log, name="moderation_log"),
    path("moderation/changes/", views.audit_trail, name="audit_trail"),
]
