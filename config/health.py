"""/healthz: is this process able to serve? Checks the database and the channel layer."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

LAYER_TIMEOUT = 2.0


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database unreachable")
        return False


async def _channel_layer_ok() -> bool:
    """Send a message to a fresh channel and read it back: proves the layer really works."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        channel = await layer.new_channel("healthz.")
        await asyncio.wait_for(layer.send(channel, {"type": "healthz.ping"}), LAYER_TIMEOUT)
        message = await asyncio.wait_for(layer.receive(channel), LAYER_TIMEOUT)
        return message.get("type") == "healthz.ping"
    except Exception:
        logger.exception("healthz: channel layer unreachable")
        return False


async def healthz(request):
    database = await sync_to_async(_database_ok)()
    channel_layer = await _channel_layer_ok()
    ok = database and channel_layer
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if database else "unreachable",
        "channel_layer": "ok" if channel_layer else "unreachable",
    }
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response
