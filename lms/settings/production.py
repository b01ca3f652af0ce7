"""Production settings: secure by default; every secret and host comes from the environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# the public address printed in certificate QR codes, badges, exports and e-mails: required,
# never guessed from a request (lms/site_url.py)
SITE_URL = env("SITE_URL").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SITE_URL must be the site's public address, e.g. https://nangluc.example.gov.vn"
    )
SITE_URL_FROM_REQUEST = False
WAGTAILADMIN_BASE_URL = SITE_URL

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy always on in production, whatever CSP_ENABLED says (lms/csp.py)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_LEARNER_DIRECTIVES}
# hashed, pre-compressed static files whatever STATIC_COMPRESSED says (base.py)
STATIC_COMPRESSED = True
# a new dict: base's STORAGES is shared by every module that star-imports it
STORAGES = {**STORAGES, "staticfiles": STATICFILES_STORAGE_COMPRESSED}

# The client IP behind the reverse proxy, for allauth's login/sign-up rate limits and the
# certificate verification rate limit (certificates/verification.py asks allauth, whose adapter
# is staff.adapters): how many proxies you run in front of gunicorn that append to
# X-Forwarded-For. The documented setup is one nginx (gunicorn binds 127.0.0.1), hence 1; 0
# ignores the header; never more than you run, or clients can forge their address. The header
# is read only from a loopback or private peer, so a gunicorn reached directly is not fooled.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)

# PAdES B-T: an RFC 3161 time-stamping authority stamps every certificate signature (one HTTP
# round trip each; certificates/signing.py). Unset: PAdES B-B, no timestamp.
CERTIFICATE_TSA_URL = env("CERTIFICATE_TSA_URL", default="")
CERTIFICATE_TSA_TIMEOUT = env.int("CERTIFICATE_TSA_TIMEOUT", default=10)

# Sessions are read on every signed-in request. With a shared cache server (Redis or Memcached,
# the scale mode) they are read from it and written through to the database (cached_db: a cache
# flush signs nobody out). A per-process cache could serve a session another process changed
# (a sign-out), so every other cache keeps the database backend. bench/bench_exam_load.py.
if any(name in CACHES["default"]["BACKEND"] for name in ("redis", "memcached")):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
