"""System checks for settings that are dangerous in production (DEBUG off)."""

import os

from django.conf import settings
from django.core.checks import Error, register

VERIFICATION_CHOICES = {"mandatory", "optional", "none"}


@register()
def check_production_settings(app_configs, **kwargs):
    errors = []
    if settings.ACCOUNT_EMAIL_VERIFICATION not in VERIFICATION_CHOICES:
        errors.append(
            Error(
                "ACCOUNT_EMAIL_VERIFICATION must be one of mandatory, optional, none.",
                id="spolu.E003",
            )
        )
    if settings.DEBUG:
        return errors
    if "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS contains '*'.",
                hint="List the real host names: the websocket origin check trusts exactly these, "
                "so '*' would let any web site open a live-session socket as its visitor.",
                id="spolu.E001",
            )
        )
    if not os.environ.get("SECRET_KEY") or settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is not set in the environment.",
                hint="Set SECRET_KEY to a random string of at least 50 characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="spolu.E002",
            )
        )
    return errors
