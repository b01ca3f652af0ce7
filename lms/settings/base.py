"""Settings shared by every run mode. Everything that differs between machines comes from the
environment (see .env.example); the defaults give the embedded mode: SQLite, eager Celery,
database cache, console email."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="insecure-dev-key-only-for-the-embedded-mode-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# without SITE_URL (the embedded mode), links in PDFs, badges, exports and e-mails follow the
# address the site is actually reached at (lms/site_url.py); production requires SITE_URL
SITE_URL_FROM_REQUEST = not env.str("SITE_URL", default="")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Năng lực KH&CN cơ sở"

INSTALLED_APPS = [
    # project apps first so their templates override the libraries'
    "staff",
    "competencies",
    "courses",
    "assessments",
    "certificates",
    "cms",
    "reports",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    # built-in localisation: locale admin, and the "Translate" action that copies a page (and
    # its subtree) into another locale for a trainer to translate
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below; the admin's own in lms/csp.py)
    "lms.csp.SiteCSPMiddleware",
    "lms.site_url.SiteUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware's rules, adapted: a page's language is its URL's, elsewhere the
    # switcher's cookie; never the browser's Accept-Language (see lms/middleware.py)
    "lms.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "staff.middleware.RequireAdministratorTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# --- database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked"
    # upgrades when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (also holds allauth rate limits) ----------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}

# --- background work -------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# inline tasks must not turn a committed request into an error page: a failed certificate
# render is logged and picked up again by `manage.py render_pending_certificates`
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# periodic jobs for `celery beat` in the scale mode; each is also a management command for the
# embedded mode (cron): close_overdue_attempts, render_pending_certificates,
# sync_automatic_enrolments, send_expiry_reminders, publish_scheduled (Wagtail's),
# compute_item_statistics --pending
CELERY_BEAT_SCHEDULE = {
    "close-overdue-attempts": {
        "task": "assessments.tasks.attempts_close_overdue_task",
        "schedule": 60.0,
    },
    "render-pending-certificates": {
        "task": "certificates.tasks.certificates_render_pending_task",
        "schedule": 300.0,
    },
    # evidence turns expiring/expired with time, not only on writes: re-check gaps nightly
    "sync-automatic-enrolments": {
        "task": "courses.tasks.enrolments_sync_automatic_task",
        "schedule": 24 * 60 * 60.0,
    },
    # certificates about to expire: holder and HR are told once per threshold
    "send-certificate-expiry-reminders": {
        "task": "certificates.tasks.certificates_send_expiry_reminders_task",
        "schedule": 24 * 60 * 60.0,
    },
    # item statistics of the question versions marked by graded attempts since the last run
    "compute-pending-item-statistics": {
        "task": "assessments.tasks.item_statistics_recompute_pending_task",
        "schedule": 300.0,
    },
    # Wagtail's scheduled publishing (approved course changes with a go-live or expiry time)
    "publish-scheduled-pages": {
        "task": "courses.tasks.pages_publish_scheduled_task",
        "schedule": 60.0,
    },
    # the reports' stored standings are kept current on every write; this rewrites them all
    # nightly, so a write that bypassed the services (a restore, a manual fix) is caught up
    "rebuild-report-standings": {
        "task": "reports.tasks.standings_rebuild_task",
        "schedule": 24 * 60 * 60.0,
    },
    # the month's compliance figures, for the reports' trend and "as of" views
    "take-compliance-snapshot": {
        "task": "reports.tasks.snapshot_take_task",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
    # HR's monthly digest of her scope's figures (opt-out in the admin), in the morning
    "send-report-digests": {
        "task": "reports.tasks.report_digests_send_task",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
    },
}

# --- auth (django-allauth) ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
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
LOGIN_REDIRECT_URL = "dashboard"
# the Wagtail admin sends people to the same allauth login, so its rate limits and 2FA apply
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ALLOW_SIGNUPS = False  # accounts are created by HR from staff records
ACCOUNT_ADAPTER = "staff.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# The client address for every rate limit (allauth's and the certificate verification's, both
# through staff.adapters.client_ip): how many reverse proxies append to X-Forwarded-For. 0, the
# embedded mode's runserver facing its clients, ignores the header; production reads it from
# the environment (docs/operations.md, "Reverse proxy").
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_REQUIRED_FOR_ADMINISTRATORS = env.bool("MFA_REQUIRED_FOR_ADMINISTRATORS", default=True)
MFA_TOTP_ISSUER = "LMS KH&CN"

# --- i18n ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Course pages are Vietnamese with optional English translations (Wagtail's localisation): the
# Vietnamese tree keeps its URLs, the English one lives under /en/ (lms/urls.py)
WAGTAIL_I18N_ENABLED = True
# The project's own catalogue first; then locale/vendor, Vietnamese for the Wagtail and Django
# strings the admin shows (Wagtail's own vi catalogue covers a small part of them). The first
# entry wins where both hold a msgid; both win over the packages' catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"


def _project_path(name: str, default: str) -> Path:
    """A folder from the environment; relative values are relative to the project."""
    return BASE_DIR / env(name, default=default)


STATIC_ROOT = _project_path("STATIC_ROOT", "var/static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# a path on this site, or the address of the host that serves the uploads (a CDN, a bucket)
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = _project_path("MEDIA_ROOT", "var/media")
# certificate files and other personal documents: never under MEDIA_URL, served by checked views
PRIVATE_MEDIA_ROOT = _project_path("PRIVATE_MEDIA_ROOT", "var/private")
# Static files, two ways. Plain: the files of static/ and the apps as they are, served by
# runserver's static view (or WhiteNoise from the finders), no collectstatic needed; the tests'
# default. Compressed (production always; the embedded mode with STATIC_COMPRESSED=true, which
# `make run` sets): `collectstatic` first writes them to STATIC_ROOT under content-hashed names
# with .gz and .br copies (lms/staticfiles.py); WhiteNoise serves the copy the browser accepts,
# cacheable for a year (immutable), instead of runserver's static view, which sends the raw
# file with no Cache-Control (docs/benchmarks.md, "Static files on the wire").
STATICFILES_STORAGE_PLAIN = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STATICFILES_STORAGE_COMPRESSED = {"BACKEND": "lms.staticfiles.CompressedManifestStorage"}
STATIC_COMPRESSED = env.bool("STATIC_COMPRESSED", default=False)
if STATIC_COMPRESSED:
    # runserver leaves /static/ to WhiteNoise: its own static view knows no hashed names
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("django.contrib.staticfiles"), "whitenoise.runserver_nostatic"
    )
    # what collectstatic wrote, read once at start-up (DEBUG would read the source folders
    # and look files up again on every request)
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": (
        STATICFILES_STORAGE_COMPRESSED if STATIC_COMPRESSED else STATICFILES_STORAGE_PLAIN
    ),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Content-Security-Policy (django-csp; lms/csp.py, docs/architecture.md) ---------------------
# The learner site: no inline script or style anywhere (no 'unsafe-inline': the templates and
# static/js have none), images and media from the site and the host serving MEDIA_URL when it
# is another one, nothing framed, no plugins, forms and <base> to the site only. On in every
# mode but the tests' (tests switch it on where they check it); production forces it on.
# MEDIA_HOSTS: the origins images may come from besides the site itself: MEDIA_URL's host when
# it is another one, and any listed in the environment (e.g. a storage bucket's). Rich text keeps
# images from these only (assessments/interchange/richtext.py).
_media = urlsplit(MEDIA_URL)
MEDIA_HOSTS = list(
    dict.fromkeys(
        ([f"{_media.scheme}://{_media.netloc}"] if _media.scheme and _media.netloc else [])
        + [h.rstrip("/") for h in env.list("MEDIA_HOSTS", default=[])]
    )
)
CSP_LEARNER_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", *MEDIA_HOSTS],
    "media-src": ["'self'", *MEDIA_HOSTS],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Wagtail's admin (/admin/) renders inline <script> (InlinePanel, date pickers, choosers) and
# style attributes, shows upload previews as data:/blob: images and page previews in an iframe
# of itself: the same policy with those allowances, only there.
CSP_ADMIN_DIRECTIVES = {
    **CSP_LEARNER_DIRECTIVES,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *MEDIA_HOSTS],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CSP_ENABLED = env.bool("CSP_ENABLED", default=True)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_LEARNER_DIRECTIVES} if CSP_ENABLED else None

# --- email ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="LMS KH&CN <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail -------------------------------------------------------------------------------------
# Wagtail's database backend (SQLite FTS5 / PostgreSQL full-text) with Vietnamese folding of
# queries (lms/search.py; pages index a folded copy of their text)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "lms.search"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# no third-party avatar requests: officers' e-mail hashes stay here, pages load offline
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# an approved moderation workflow publishes the change even when the approver (a course
# reviewer) has no publish permission of their own: see courses/workflow.py
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflow.workflow_publish_approved"

# --- domain settings -----------------------------------------------------------------------------
# how long before expiry a competency or certificate counts as "expiring"
COMPETENCY_EXPIRING_WINDOW_DAYS = env.int("COMPETENCY_EXPIRING_WINDOW_DAYS", default=90)
# seconds after an attempt's deadline during which a save still counts (slow links)
ATTEMPT_GRACE_SECONDS = env.int("ATTEMPT_GRACE_SECONDS", default=30)
# the person who approves a question version must not be the one who reviewed it (four eyes)
QUESTION_APPROVAL_REQUIRES_DIFFERENT_REVIEWER = env.bool(
    "QUESTION_APPROVAL_REQUIRES_DIFFERENT_REVIEWER", default=True
)

# --- certificates (certificates/signing.py, docs/operations.md) -------------------------------
# who signs certificate PDFs and badges: "local" (a key generated on first use in
# CERTIFICATE_SIGNER_DIR: one machine only), "pkcs12" (a file) or "pkcs11" (a token/HSM)
CERTIFICATE_SIGNER = env("CERTIFICATE_SIGNER", default="local")
CERTIFICATE_SIGNER_DIR = _project_path("CERTIFICATE_SIGNER_DIR", "var/signing")
CERTIFICATE_SIGNER_NAME = env("CERTIFICATE_SIGNER_NAME", default="LMS KH&CN - ký chứng chỉ")
CERTIFICATE_SIGNER_ORGANISATION = env(
    "CERTIFICATE_SIGNER_ORGANISATION", default="Bộ Khoa học và Công nghệ"
)
CERTIFICATE_SIGNER_PKCS12_PATH = env("CERTIFICATE_SIGNER_PKCS12_PATH", default="")
CERTIFICATE_SIGNER_PKCS12_PASSPHRASE = env("CERTIFICATE_SIGNER_PKCS12_PASSPHRASE", default="")
CERTIFICATE_SIGNER_PKCS11_MODULE = env("CERTIFICATE_SIGNER_PKCS11_MODULE", default="")
CERTIFICATE_SIGNER_PKCS11_TOKEN_LABEL = env("CERTIFICATE_SIGNER_PKCS11_TOKEN_LABEL", default="")
CERTIFICATE_SIGNER_PKCS11_KEY_LABEL = env("CERTIFICATE_SIGNER_PKCS11_KEY_LABEL", default="")
CERTIFICATE_SIGNER_PKCS11_CERT_LABEL = env("CERTIFICATE_SIGNER_PKCS11_CERT_LABEL", default="")
CERTIFICATE_SIGNER_PKCS11_PIN = env("CERTIFICATE_SIGNER_PKCS11_PIN", default="")
CERTIFICATE_SIGNER_PKCS11_SLOT = env.int("CERTIFICATE_SIGNER_PKCS11_SLOT", default=None)
# public verification: lookups per client IP per minute, and the largest PDF one may upload
CERTIFICATE_VERIFY_RATE_PER_MINUTE = env.int("CERTIFICATE_VERIFY_RATE_PER_MINUTE", default=30)
CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES = env.int(
    "CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024
)
# days before expiry at which holder and HR are reminded (send_expiry_reminders)
CERTIFICATE_EXPIRY_REMINDER_DAYS = [
    int(d) for d in env.list("CERTIFICATE_EXPIRY_REMINDER_DAYS", default=["90", "30", "7"])
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "xhtml2pdf": {"level": "ERROR"},
        # Wagtail 8 logs every background task it runs; keep the console for what matters
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
