"""Django's Redis cache with one connection pool per process instead of one per request.

Django keeps a cache object per request context, and its Redis client a pool per object: under
ASGI every HTTP request (each guest joining a big room passes the join rate limit) opened a new
Redis connection and dropped it. redis-py's pools are thread-safe, so the clients share them.
"""

import threading

from django.core.cache.backends import redis

_pools: dict[tuple[str, ...], dict] = {}
_pools_lock = threading.Lock()


class SharedPoolRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        with _pools_lock:
            # The client fills this dict (pool index -> pool) as it first uses each server.
            self._pools = _pools.setdefault(tuple(servers), {})


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
