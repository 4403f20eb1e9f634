"""The Redis cache keeps one connection pool per process: Django makes a cache object per
request context, and with Django's own client each of them connected to Redis anew."""

from config.cache import RedisCache


def test_every_request_context_uses_the_same_connection_pool():
    first = RedisCache("redis://127.0.0.1:6390/4", {})
    second = RedisCache("redis://127.0.0.1:6390/4", {})
    pool = first._cache._get_connection_pool(write=True)
    assert second._cache._get_connection_pool(write=True) is pool


def test_another_redis_gets_its_own_pool():
    first = RedisCache("redis://127.0.0.1:6390/4", {})
    other = RedisCache("redis://127.0.0.1:6390/5", {})
    assert other._cache._get_connection_pool(write=True) is not first._cache._get_connection_pool(
        write=True
    )
