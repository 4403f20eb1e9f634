"""/healthz: is this process able to serve? Checks the database and the channel layer.

Each check has its own connection and a short timeout, and touches nothing the process serves
with. The channel layer is not asked to `receive`: channels-redis serves every process-local
channel through one receive lock per process, which the realtime hub holds for as long as it
waits for its next frame, so a health read queued behind it timed out whenever the process had
idle sockets (after a burst, for as long as they stayed open) although Redis and fan-out worked.
"""

import asyncio
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

import redis.asyncio as redis
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.core import RedisChannelLayer
from channels_redis.utils import create_pool
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

TIMEOUT = 2.0
# Its own threads, so a hung database holds at most these, not the threads that serve pages.
_database_threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _select_one() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        # A fresh connection each time: a check must not pass on a connection left open.
        connection.close()


async def _database_ok() -> bool:
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(loop.run_in_executor(_database_threads, _select_one), TIMEOUT)
    except Exception:
        logger.exception("healthz: database unreachable")
        return False


async def _redis_round_trip(host: dict) -> bool:
    """PING, then write a key and read it back, on a connection pool of its own (built as the
    layer builds its pools, so an address, host and port, or Sentinel all work)."""
    pool = create_pool({**host, "socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT})
    client = redis.Redis(connection_pool=pool)
    try:
        key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        await client.ping()
        await client.set(key, value, px=int(TIMEOUT * 1000 * 5))
        ok = (await client.get(key)) == value.encode()
        await client.delete(key)
        return ok
    finally:
        await client.aclose()
        await pool.disconnect()


async def _in_memory_round_trip(layer: InMemoryChannelLayer) -> bool:
    # This layer keeps each channel's queue apart, so a fresh channel waits for nobody.
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    return (await layer.receive(channel)).get("type") == "healthz.ping"


async def _channel_layer_ok() -> bool:
    layer = get_channel_layer()
    try:
        if isinstance(layer, RedisChannelLayer):
            checks = [_redis_round_trip(host) for host in layer.hosts]
            results = await asyncio.wait_for(asyncio.gather(*checks), TIMEOUT * 2)
            return all(results)
        if isinstance(layer, InMemoryChannelLayer):
            return await asyncio.wait_for(_in_memory_round_trip(layer), TIMEOUT)
        # Another backend: that one is configured is all this check can know of it.
        return layer is not None
    except Exception:
        logger.exception("healthz: channel layer unreachable")
        return False


async def healthz(request):
    database, channel_layer = await asyncio.gather(_database_ok(), _channel_layer_ok())
    ok = database and channel_layer
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if database else "unreachable",
        "channel_layer": "ok" if channel_layer else "unreachable",
    }
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response
