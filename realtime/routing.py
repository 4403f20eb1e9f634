"""Websocket URL routes; each live stream (session, proposal, ballot) adds its consumer here."""

websocket_urlpatterns: list = []
