"""Websocket URL routes: each live stream's consumer lives beside its domain."""

from django.urls import path

from live.consumers import SessionConsumer
from proposals.consumers import ProposalConsumer
from voting.consumers import BallotConsumer

websocket_urlpatterns: list = [
    path("ws/proposals/<int:pk>/", ProposalConsumer.as_asgi()),
    path("ws/ballots/<int:pk>/", BallotConsumer.as_asgi()),
    path("ws/sessions/<str:code>/", SessionConsumer.as_asgi()),
]
