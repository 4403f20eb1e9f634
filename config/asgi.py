"""ASGI entry point: HTTP goes to Django, websockets to each stream's consumer (config.routing);
any ASGI server runs it (daphne, uvicorn)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.env import EnvError  # noqa: E402

try:
    from django.core.asgi import get_asgi_application

    # Set up Django (and read the environment) before anything imports models.
    django_asgi_app = get_asgi_application()
except EnvError as exc:
    sys.exit(f"spolu: {exc}")

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import CookieMiddleware  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from realtime.identity import SocketUserMiddleware  # noqa: E402
from realtime.origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The Origin check stops other web sites (another port is another site) from opening
        # a socket with a visitor's cookie: realtime/origin.py.
        "websocket": SameOriginValidator(
            CookieMiddleware(SocketUserMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
