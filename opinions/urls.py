from django.urls import path

from opinions import views

app_name = "opinions"

urlpatterns = [
    path(
        "processes/<slug:slug>/conversations/new/",
        views.conversation_create,
        name="conversation_create",
    ),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("conversations/<int:pk>/vote/", views.conversation_vote, name="conversation_vote"),
    path("conversations/<int:pk>/statements/", views.statement_add, name="statement_add"),
    path(
        "conversations/<int:pk>/moderate/",
        views.conversation_moderate,
        name="conversation_moderate",
    ),
    path("conversations/<int:pk>/close/", views.conversation_close, name="conversation_close"),
    path(
        "conversations/<int:pk>/results/", views.conversation_results, name="conversation_results"
    ),
]
