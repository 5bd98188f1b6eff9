"""Settings for the staff development portal, read from the environment only.

Every value a deployment may change is an environment variable (see README,
"Configuration"). Without ``DATABASE_URL`` the portal runs on an SQLite file under
``var/`` so that ``make run`` works on a fresh machine with no database server.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random string (or set DEBUG=1 for local development)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "portal",
    "portal.accounts",
    "staff",
    "skills",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
    "portal.security.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.accounts.sessions.SlidingExpiryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.access.CurrentMembershipMiddleware",
    # Who made a change, for the history (portal/history.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the membership: a request that wrote to the portal's tables moves its
    # organisation's data version on, so its stored documents are rendered anew.
    "portal.data_version.DataVersionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as Axes asks: it turns a request its backend marked as locked out into the
    # lockout page.
    "axes.middleware.AxesMiddleware",
]

# The history of every change (README, "History of changes"). Off only to measure what
# it costs (bench/import_staff.py); the admin's history page never reverts.
SIMPLE_HISTORY_ENABLED = env.bool("SIMPLE_HISTORY_ENABLED", default=True)
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.access.membership_context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if env.bool("DATABASE_PGBOUNCER", default=False):
    # Behind PgBouncer in transaction mode (README "Scaling"): PgBouncer is the pool, so
    # Django's own is off and each process keeps one client connection to PgBouncer
    # (cheap) for CONN_MAX_AGE seconds. A transaction may run on any server connection:
    # no server-side cursors (they live across transactions) and no prepared statements
    # (psycopg prepares a query run 5 times, on a server connection the next transaction
    # may not get).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own psycopg 3 pool: connections are reused across requests without
    # an external pooler. CONN_MAX_AGE must stay 0 when the pool is on.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    VAR_DIR.mkdir(exist_ok=True)
    # Wait for a writer instead of failing at once: the dev server and a management
    # command may touch the file together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Tests use a file, not Django's in-memory default: the live server of the browser
    # tests then gives each request thread its own connection, as in production, instead
    # of sharing one that overlapping requests (htmx) can deadlock.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test-portal.sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id with measured parameters first (portal/hashers.py, README "Security"); the
# PBKDF2 hashers after it only verify old hashes, which Django then rewrites with Argon2
# at that person's next login.
PASSWORD_HASHERS = [
    "portal.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes; portal/accounts/throttle.py, README "Security"). What is
# locked is one username from one address, so one office behind a NAT is never locked
# as a whole. Attempts are kept in the database, shared by every worker process.
AUTHENTICATION_BACKENDS = [
    "portal.accounts.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.throttle.client_ip"
# How many reverse proxies append to X-Forwarded-For in front of the portal; 0 trusts
# REMOTE_ADDR only (any X-Forwarded-For is then the client's own words).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed attempts are what throttling needs; a row per successful login (address, user
# agent) would be personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Secrets other than the password that pass through a throttled form: axes keeps the
# POST data of a failure, and must never keep these.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "code",
    "new_password1",
    "new_password2",
    "email",
]
# Failures of one address across all usernames on the activation page, and of one
# username across all addresses, before either is refused for LOGIN_COOLOFF_MINUTES
# (portal/accounts/views.py): the per-pair lock alone lets one address try codes for
# many usernames, or many addresses try codes for one.
ACTIVATION_IP_FAILURE_LIMIT = env.int("ACTIVATION_IP_FAILURE_LIMIT", default=20)
ACTIVATION_USERNAME_FAILURE_LIMIT = env.int("ACTIVATION_USERNAME_FAILURE_LIMIT", default=10)
# Password reset requests from one address within the cool-off: each may send a mail.
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=10)

# Accounts HR issues (portal/accounts/activation.py): a one-time code is valid this many
# days. PORTAL_BASE_URL is the address printed on slips and in QR codes, and sent by
# management commands, which have no request to take the host from.
ACTIVATION_CODE_DAYS = env.int("ACTIVATION_CODE_DAYS", default=14)
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# E-mail (password reset): EMAIL_URL such as smtp+tls://user:pass@smtp.example:587;
# without it mails are written to the console (the log), never sent.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# Sessions in the database with their user (portal/accounts), so that "log out on all
# my devices" ends them all. They expire after SESSION_IDLE_SECONDS without a request
# (a working day by default): SlidingExpiryMiddleware moves the expiry on activity.
SESSION_ENGINE = "portal.accounts.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
# The cookie ends with the browser unless "stay signed in on this device" was ticked at
# login: then the session lasts STAY_SIGNED_IN_DAYS without a request, sliding the same
# way (portal/accounts/sessions.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
STAY_SIGNED_IN_DAYS = env.int("STAY_SIGNED_IN_DAYS", default=30)

# Request bodies. The biggest legitimate one is a 5 MB upload (spreadsheets.MAX_FILE_BYTES,
# certificates) with its form: REQUEST_BODY_MAX_BYTES caps the whole body (413, see
# portal/security.py); Django's own limit covers form fields without files (400).
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not the worker's memory.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and stored files (emblems, certificates, documents) on the file system under
# MEDIA_ROOT, or — when AWS_STORAGE_BUCKET_NAME is set — in an S3-compatible bucket that
# every machine shares (django-storages; README "Scaling"). The keys come from the
# environment the way boto3 reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never
# from here. The files are personal data: private objects, reached through signed links
# that expire, never overwritten in place.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "file_overwrite": False,
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
# Static files stay with the code on every machine (whitenoise), even with media in a
# bucket: they are part of the release, and the PDF renderer reads them from STATIC_ROOT
# by their hashed names (portal/pdf.py) — from a bucket it would print without its font.
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In debug (and so in tests) whitenoise serves straight from the source folders, with
# no collectstatic step; in production from STATIC_ROOT with hashed names.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# Secure transport whenever the portal is not in debug mode. The reverse proxy
# terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy (django-csp 4.x): scripts, styles, fonts and images
# come from our own static files only. No 'unsafe-inline' anywhere: templates carry no
# inline script, event-handler attribute, style attribute or <style> element (a test
# walks every page for that), and htmx is told not to inject its own <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],  # htmx requests
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features the portal never uses are switched off for every page
# (portal/security.py).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools are chatty at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Axes logs every login at INFO; its warnings (failures, lockouts) stay.
        "axes": {"level": "WARNING"},
    },
}

IMPORT_EXPORT_USE_TRANSACTIONS = True

# Rendered PDFs are cached on disk, shared by every worker process (portal/pdf.py).
# The default cache is each process's memory unless REDIS_URL names a Redis shared by
# every worker on every machine (README "Scaling"); then sessions are read through it
# too (portal/accounts/sessions.py). CACHE_KEY_PREFIX keeps two portals on one Redis apart.
REDIS_URL = env.str("REDIS_URL", default="")
DEFAULT_CACHE = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)
SESSION_CACHE_READ_THROUGH = bool(REDIS_URL)
CACHES = {
    "default": DEFAULT_CACHE,
    "pdf": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("PDF_CACHE_DIR", default=str(VAR_DIR / "cache" / "pdf")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Documents (PDF) are rendered by a task (portal/tasks.py, README "Documents and the
# worker"). "database": queued in the database and rendered by `manage.py
# document_worker` (production, PostgreSQL); "immediate": rendered inside the request
# that asks, as before — the embedded default on SQLite, so `make run` needs no other
# process. Rendered files go to the default storage under documents/.
_DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
TASKS_BACKEND = env.str(
    "TASKS_BACKEND", default="database" if _DATABASE_IS_POSTGRES else "immediate"
)
if TASKS_BACKEND not in {"database", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "documents", "reminders"],
    }
}
#: A document taking longer than this to render is failed, not left hanging.
DOCUMENT_TIME_LIMIT = env.int("DOCUMENT_TIME_LIMIT", default=600)
#: The worker exits (its service manager starts a fresh one) after this many documents…
DOCUMENT_WORKER_MAX_TASKS = env.int("DOCUMENT_WORKER_MAX_TASKS", default=50)
#: …or once its peak memory passed this many MiB.
DOCUMENT_WORKER_MAX_MEMORY_MB = env.int("DOCUMENT_WORKER_MAX_MEMORY_MB", default=1024)
