"""Websocket URL routes; each live stream (session, proposal, ballot) adds its consumer here."""

from django.urls import path

from deliberation.live_consumer import SessionConsumer
from realtime.consumers import BallotConsumer, ProposalConsumer

websocket_urlpatterns: list = [
    path("ws/proposals/<int:pk>/", ProposalConsumer.as_asgi()),
    path("ws/ballots/<int:pk>/", BallotConsumer.as_asgi()),
    path("ws/sessions/<str:code>/", SessionConsumer.as_asgi()),
]
