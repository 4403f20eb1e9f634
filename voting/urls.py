from django.urls import path

from voting import views

app_name = "voting"

urlpatterns = [
    path("receipt/", views.receipt_lookup, name="receipt"),
    path("process/<slug:slug>/", views.ballot_list, name="ballot_list"),
    path("process/<slug:slug>/new/", views.ballot_create, name="ballot_create"),
    path("<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("<int:pk>/vote/", views.ballot_vote, name="ballot_vote"),
    path("<int:pk>/withdraw/", views.ballot_withdraw, name="ballot_withdraw"),
    path("<int:pk>/edit/", views.ballot_edit, name="ballot_edit"),
    path("<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("<int:pk>/paper/", views.paper_count, name="paper_count"),
    path("<int:pk>/results/", views.ballot_results, name="ballot_results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/results.json", views.results_json, name="results_json"),
    path("<int:pk>/log.json", views.vote_log, name="vote_log"),
]
