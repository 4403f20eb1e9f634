"""Spolu's settings as deployed, plus one bare view at /bench/bare for bench/pages.py.

Only the URL configuration differs (bench/pages_urls.py), so the bare view passes through the
same middleware, sessions and server as the pages it is compared with. It lives here, under
bench/, rather than behind a flag in config/: a production process cannot serve it by a
mistaken environment variable, and config/ holds nothing that exists only for measuring.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
