"""Masthead's only settings module.

Every knob is a ``MASTHEAD_*`` environment variable (see docs/configuration.md).
The defaults give the embedded setup: SQLite in WAL mode inside the data
directory, a cache on disk shared by every worker, and email printed to the console, so a fresh
checkout runs with nothing else installed.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from masthead.lib.client_ip import parse_trusted_proxies
from masthead.lib.emails import site_sender
from masthead.lib.env import envbool, envint, envstr, load_secret_key
from masthead.lib.social import providers_from_env

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(envstr("MASTHEAD_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("MASTHEAD_DEBUG", False)
SECRET_KEY = load_secret_key(DATA_DIR)

SITE_URL = envstr("MASTHEAD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
SITE_NAME = envstr("MASTHEAD_SITE_NAME", "Masthead")
SITE_TAGLINE = envstr("MASTHEAD_SITE_TAGLINE", "")

# The canonical host, its loopback aliases for local runs, and any extra hosts.
ALLOWED_HOSTS = [_site.hostname or "127.0.0.1"]
if _site.hostname in ("127.0.0.1", "localhost", "[::1]", "::1"):
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS += [h for h in envstr("MASTHEAD_EXTRA_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
USE_X_FORWARDED_HOST = envbool("MASTHEAD_BEHIND_PROXY", False)
# Only these peers may say, in X-Forwarded-For or Forwarded, who the reader is,
# and in X-Forwarded-Proto whether they came over HTTPS (the middleware drops
# that header from anyone else).
MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies(envstr("MASTHEAD_TRUSTED_PROXIES", ""))
# Webhooks and Fediverse requests may go to loopback and private networks only
# when this is on (a site whose hooks run on its own network).
MASTHEAD_OUTBOUND_ALLOW_PRIVATE = envbool("MASTHEAD_OUTBOUND_ALLOW_PRIVATE", False)
# A webhook whose deliveries have failed without a success for this many days is
# disabled, and its creator and the site's administrators are emailed.
MASTHEAD_WEBHOOK_DISABLE_AFTER_DAYS = envint("MASTHEAD_WEBHOOK_DISABLE_AFTER_DAYS", 3)
# A Fediverse server every delivery to which has failed for this many days, with no
# success between, is marked unreachable: nothing more is sent to it until it is heard
# from again or staff retry it from the desk.
MASTHEAD_FEDERATION_DEAD_AFTER_DAYS = envint("MASTHEAD_FEDERATION_DEAD_AFTER_DAYS", 3)
# The publication's Fediverse name: @news@host.
MASTHEAD_FEDERATION_USERNAME = envstr("MASTHEAD_FEDERATION_USERNAME", "news")
if USE_X_FORWARDED_HOST or MASTHEAD_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if _site.scheme == "https":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("MASTHEAD_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_SSL_REDIRECT = envbool("MASTHEAD_SSL_REDIRECT", True)

INSTALLED_APPS = [
    "masthead.adminsite.MastheadAdminConfig",  # django.contrib.admin, index reordered
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # allauth's list of security keys says when each was used
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.facebook",
    "masthead.identity.wordpress_com",
    "masthead.publishing",
    "masthead.discussion",
    "masthead.identity",
    "masthead.desk",
    "masthead.portability",
    "masthead.api",
    "masthead.api.webhooks",
    # Serves Swagger UI for the API docs from our own static files, not a CDN.
    "ninja",
    "masthead.federation",
]

MIDDLEWARE = [
    "masthead.lib.client_ip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "masthead.federation.middleware.ArticleNegotiation",
    "masthead.portability.redirects.LegacyRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "masthead.identity.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.lib.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

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
                "masthead.publishing.context_processors.site",
            ],
        },
    },
]

# SQLite by default so that a checkout runs as it is; PostgreSQL for scale.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("MASTHEAD_DATABASE_URL", f"sqlite:///{DATA_DIR / 'masthead.sqlite3'}"),
        conn_max_age=envint("MASTHEAD_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One connection per worker process for its lifetime: opening one costs more
    # than most queries (the PRAGMAs run on every connect).
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = envstr("MASTHEAD_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": envstr("MASTHEAD_CACHE_PREFIX", "masthead"),
        }
    }
else:
    # On disk beside the database: every worker and process of the node sees the
    # same rate limits, settings and cached pages (a local-memory cache would give
    # each gunicorn worker its own). Writes retry when another process holds a
    # shard's lock; a read that would wait counts as a miss.
    CACHES = {
        "default": {
            "BACKEND": "masthead.lib.disk_cache.SharedDiskCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {"size_limit": envint("MASTHEAD_CACHE_MB", 512) * 1024 * 1024},
        }
    }
    if os.environ.get("MASTHEAD_TESTING"):
        # Test runs side by side must not share entries; servers they start share theirs.
        import atexit
        import shutil
        import tempfile

        CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="masthead-test-cache-")
        atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], ignore_errors=True)

# Cached pages also written here for a front web server to send (docs/deploy.md);
# "off" writes none. A change deletes files only from the disk of the node that
# made it, so with Redis (several nodes) it is off unless set to a directory
# that every node mounts.
_pages_dir = envstr(
    "MASTHEAD_PAGES_DIR",
    "off" if CACHES["default"]["BACKEND"].startswith("django_redis") else str(DATA_DIR / "pages"),
)
MASTHEAD_PAGES_DIR = None if _pages_dir.lower() == "off" else Path(_pages_dir).resolve()

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth): email addresses are the login, and verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# ...and a display name first: the address is never shown, nor anything made from it.
ACCOUNT_SIGNUP_FORM_CLASS = "masthead.identity.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Following the emailed link in the browser that signed up (or tried to log in)
# logs in and goes on to where they were going. Superusers made on the command
# line skip the round-trip (identity/superusers.py).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/m/ip,10/5m/key",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "login_by_code": "5/m/ip,5/10m/key",
}
ACCOUNT_ADAPTER = "masthead.identity.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "masthead.identity.adapters.SocialAccountAdapter"
# Never join a social login to an account by an email the provider may not have
# verified: that is how accounts get taken over.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# A reader who logs in with a provider comments at once: X shares no address,
# and an address a provider did not verify is confirmed by mail afterwards.
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "optional"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = providers_from_env()
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
# Staff must have two-factor authentication before the admin lets them in.
MASTHEAD_STAFF_REQUIRE_2FA = envbool("MASTHEAD_STAFF_REQUIRE_2FA", False)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = envstr("MASTHEAD_LANGUAGE", "en-us")
TIME_ZONE = envstr("MASTHEAD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MASTHEAD_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
# Uploads go on disk at MEDIA_ROOT (with several nodes, a directory they all
# mount) or, given s3://BUCKET/PREFIX?endpoint=…&region=…, into an S3-compatible
# bucket through django-storages (the `s3` extra).
_storage = urlsplit(envstr("MASTHEAD_STORAGE_URL", ""))
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if _storage.scheme or _storage.path:
    from urllib.parse import parse_qsl

    from django.core.exceptions import ImproperlyConfigured

    _s3 = dict(parse_qsl(_storage.query))
    _s3_known = {"endpoint", "region", "custom_domain", "addressing_style"}
    if _storage.scheme != "s3" or not _storage.netloc or _s3.keys() - _s3_known:
        raise ImproperlyConfigured(
            "MASTHEAD_STORAGE_URL must be s3://BUCKET/PREFIX?endpoint=URL&region=NAME "
            "(and optionally custom_domain=HOST/PATH, addressing_style=path)"
        )
    _s3_options = {
        "bucket_name": _storage.netloc,
        "location": _storage.path.strip("/"),
        "endpoint_url": _s3.get("endpoint"),
        "region_name": _s3.get("region"),
        "custom_domain": _s3.get("custom_domain"),
        "addressing_style": _s3.get("addressing_style"),
        # Unset, boto3 finds credentials itself (AWS_* variables, an instance role).
        "access_key": envstr("MASTHEAD_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": envstr("MASTHEAD_S3_SECRET_ACCESS_KEY", "") or None,
        # Pages are cached for up to a day: a signed address would expire inside
        # them and change them on every render, so the bucket is read publicly.
        "querystring_auth": False,
        # Two uploads of the same name are both kept, as on disk.
        "file_overwrite": False,
    }
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in _s3_options.items() if v is not None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serving media from the app suits uploads on disk; with a front server in
# front, turn it off. Files in a bucket are served by the bucket.
MASTHEAD_SERVE_MEDIA = envbool("MASTHEAD_SERVE_MEDIA", _storage.scheme != "s3")

MASTHEAD_MAX_UPLOAD_BYTES = envint("MASTHEAD_MAX_UPLOAD_MB", 10) * 1024 * 1024
MASTHEAD_MAX_IMAGE_PIXELS = envint("MASTHEAD_MAX_IMAGE_PIXELS", 40_000_000)
# Seconds a reader's upload may take to check and clean, in a child process.
MASTHEAD_IMAGE_TIME_LIMIT = envint("MASTHEAD_IMAGE_TIME_LIMIT", 2)
MASTHEAD_RENDITION_WIDTHS = (480, 960, 1600)
MASTHEAD_POSTS_PER_PAGE = envint("MASTHEAD_POSTS_PER_PAGE", 10)
# Commenters' IP addresses and user agents are blanked after this many days.
MASTHEAD_COMMENT_IP_DAYS = envint("MASTHEAD_COMMENT_IP_DAYS", 30)
MASTHEAD_AKISMET_URL = envstr("MASTHEAD_AKISMET_URL", "https://rest.akismet.com/1.1")
DATA_UPLOAD_MAX_MEMORY_SIZE = MASTHEAD_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email: console by default, smtp://user:password@host:port?tls=1 in production.
_email = urlsplit(envstr("MASTHEAD_EMAIL_URL", "console:"))
if _email.scheme in ("smtp", "smtps"):
    from urllib.parse import parse_qs, unquote

    _opts = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _opts.get("tls", ["0"])[0] in ("1", "true", "yes")
    EMAIL_TIMEOUT = 10
elif _email.scheme == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email.path or str(DATA_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# "Site Name <noreply@host>", from the site's own address unless set outright.
DEFAULT_FROM_EMAIL = envstr("MASTHEAD_FROM_EMAIL", site_sender(SITE_NAME, SITE_URL))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Refused forms get the site's own page, with a way back to the form.
CSRF_FAILURE_VIEW = "masthead.publishing.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("MASTHEAD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if os.environ.get("MASTHEAD_TESTING"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
