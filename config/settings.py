"""Spolu's one settings module, read from the environment (see docs/deploy.md)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    parse_database_url,
    parse_redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SPOLU_DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Without SECRET_KEY in the environment a fixed development key is used; the system check
# in config/checks.py refuses to run a server that way with DEBUG off.
DEV_SECRET_KEY = "django-insecure-spolu-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or DEV_SECRET_KEY
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "config",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    # The API docs' Swagger UI from ninja's own static files, not from a CDN (docs/api.md).
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "core",
    "accounts",
    "deliberation",
    # Before proposals and voting: where two apps translate the same word differently, the
    # app listed first wins (Django merges the catalogues), and the live pages' words won
    # while they lived in deliberation.
    "live",
    "proposals",
    "voting",
    "realtime",
    "actionplan",
    "opinions",
]

MIDDLEWARE = [
    # First, so every response carries the policy, SecurityMiddleware's redirects too.
    "config.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise with hashed names cached for a year (config/static.py); its answers return
    # here, so GZip below never touches them (WhiteNoise serves its own gzip copies).
    "config.static.StaticFilesMiddleware",
    # Compresses pages and API answers for clients that accept gzip. BREACH (guessing a
    # secret in a compressed page from its length) is answered by what Django does: the
    # CSRF token in every form is masked afresh per response, and this middleware adds up to
    # 100 random bytes to each response (Django 4.2+); the session cookie is SameSite=Lax,
    # so another site cannot make the many signed-in requests the attack needs.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the POST: refuses text that is not UTF-8 or holds a NUL (400).
    "core.middleware.TextInputMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL"), DATA_DIR / "spolu.sqlite3"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer and cache --------------------------------------------------------------
REDIS_URL = parse_redis_url(env_str("REDIS_URL")) if env_str("REDIS_URL") else ""
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # max_connections bounds the pool so a burst of joins queues instead of failing.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 200, minimum=1),
                    }
                ],
                "prefix": "spolu",
                "capacity": 1000,
                # Each process's realtime hub receives every stream it follows on one channel
                # (realtime/hub.py): give it room for bursts. Frames the layer drops anyway
                # are refetched from the database by seq.
                "channel_capacity": {"hub.*": 10000},
            },
        }
    }
    # One cache shared by every process, so allauth's rate limits hold across processes.
    CACHES = {
        "default": {
            # Django's, with one connection pool per process (config/cache.py).
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "spolu",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            # Only the realtime hubs hold channels here (one per process); room for bursts.
            # (Not channel_capacity: this layer does not compile its patterns.)
            "CONFIG": {"capacity": 10000},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# "mandatory" (default), "optional" or "none".
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Spolu] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None

# --- E-mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Spolu <noreply@spolu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif env_str("EMAIL_FILE_PATH"):
    # Used by the end-to-end tests to read the mail a separate server process sends.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Languages ----------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "sk")
LANGUAGES = [
    ("sk", _("Slovak")),
    ("en", _("English")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Bratislava")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"  # filled by collectstatic (make run, deployments)
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names once collectstatic has run, plain names until then (config/static.py).
    "staticfiles": {"BACKEND": "config.static.HashedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# The plain names are also served straight from the source folders, so pages work before
# any collectstatic and an edited file shows at once; hashed names come from STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -----------------------------------------------------------------------------
# SPOLU_HTTPS=1 for a deployment behind TLS (see docs/deploy.md).
HTTPS = env_bool("SPOLU_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
BEHIND_PROXY = env_bool("SPOLU_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# How many reverse proxies of yours stand in front of Spolu, each appending to X-Forwarded-For:
# the client's address is the entry that many hops from the right (core/clients.py). allauth's
# own reading of the header is told the same number; its adapter asks core.clients anyway.
SPOLU_TRUSTED_PROXY_COUNT = env_int(
    "SPOLU_TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0
)
ALLAUTH_TRUSTED_PROXY_COUNT = SPOLU_TRUSTED_PROXY_COUNT
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Proposals (issue 3, part A) ------------------------------------------------------------
# At most N new proposals per person per window: "5/h" (units m, h, d).
SPOLU_PROPOSAL_RATE = env_str("SPOLU_PROPOSAL_RATE", "5/h")

# --- Comments, moderation, notifications (issue 3, part B) ---------------------------------
# At most N new comments per person per window: "20/h" (units m, h, d).
SPOLU_COMMENT_RATE = env_str("SPOLU_COMMENT_RATE", "20/h")
# Content reported by this many distinct people is hidden until a moderator reviews it.
SPOLU_REPORTS_TO_HIDE = env_int("SPOLU_REPORTS_TO_HIDE", 3, minimum=1)
# The site's public address, for links in notification e-mails (sent outside any request).
SPOLU_SITE_URL = env_str("SPOLU_SITE_URL", "http://localhost:8000").rstrip("/")

# --- Live sessions (issue 5, part B) ------------------------------------------------------
# Hours after a session closes during which attendees may propose corrections to the minutes;
# the minutes are published when the window ends.
SPOLU_MINUTES_AMENDMENT_HOURS = env_int("SPOLU_MINUTES_AMENDMENT_HOURS", 72, minimum=0)

# --- Voting -------------------------------------------------------------------------------
# While a secret ballot is open, every page, export, API answer and socket frame shows its
# counts as they were at the last multiple of this many entries in its vote log, so two
# counts one after the other never differ by a single vote (docs/voting.md, Secrecy).
SPOLU_SECRET_TALLY_STEP = env_int("SPOLU_SECRET_TALLY_STEP", 5, minimum=2)

# --- Realtime -----------------------------------------------------------------------------
# Events kept per proposal or ballot stream for clients that resume; session streams keep all.
SPOLU_STREAM_KEEP = env_int("SPOLU_STREAM_KEEP", 1000, minimum=1)
# Page reads a second the live pages of one session may ask of the servers: after each event,
# every participant's page re-reads its live parts at a random moment within a window that
# grows with the room, so a big room does not crowd out votes (one read ≈ 11 ms of a daphne
# process's one database thread, measured; raise this with more server processes).

# Votes are applied in batches, one transaction each (voting.batches): at most this many
# votes in one batch, and at most this many waiting in a process's queue; a vote beyond the
# queue is refused at once with `rate_limited` and a retry hint (docs/deploy.md, Big rooms).
SPOLU_VOTE_BATCH = env_int("SPOLU_VOTE_BATCH", 100, minimum=1)
SPOLU_VOTE_QUEUE = env_int("SPOLU_VOTE_QUEUE", 200, minimum=1)

# --- Limits per person and per address (issue 13) -------------------------------------------
# Counted in the cache: across every process with REDIS_URL, per process without it.
# Live-session actions posted as forms (no script), per person or guest: "30/10s".
SPOLU_LIVE_ACTION_RATE = env_rate("SPOLU_LIVE_ACTION_RATE", "30/10s")
# Guests joining live sessions from one client address (a school class shares one): "300/10m".
SPOLU_GUEST_JOIN_RATE = env_rate("SPOLU_GUEST_JOIN_RATE", "300/10m")
# Websockets one client address may hold open at once, in each server process.
SPOLU_SOCKETS_PER_ADDRESS = env_int("SPOLU_SOCKETS_PER_ADDRESS", 1000, minimum=1)
