from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.my_learning import my_learning
from cms.my_record import my_record
from cms.views import dashboard, healthz
from lms.language import language_switch

# Every sign-in goes through allauth (its rate limits, its second factor, its record of the
# methods a session used, which staff/middleware.py reads). Wagtail's own sign-in and
# password-reset views call Django's login() directly, so each leads to allauth's instead,
# keeping ?next=; tests/staff/test_auth_routes.py posts a password to every login-looking URL.
to_allauth_login = RedirectView.as_view(pattern_name="account_login", query_string=True)
to_allauth_password_reset = RedirectView.as_view(pattern_name="account_reset_password")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("admin/login/", to_allauth_login),
    re_path(r"^admin/password_reset/", to_allauth_password_reset),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("me/", dashboard, name="dashboard"),
    path("", include("cms.urls")),
    path("me/record/", my_record, name="my_record"),
    path("me/learning/", my_learning, name="my_learning"),
    path("learn/", include("courses.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages last, in their language: the Vietnamese tree unprefixed as ever (/khoa-hoc/...), its
# translations under /en/... Everything above stays unprefixed and takes the language chosen
# with the switcher (lms/middleware.py).
# Wagtail's front-end login (/_util/login/, /en/_util/login/) leads to allauth's as well.
urlpatterns += i18n_patterns(
    path("_util/login/", to_allauth_login, name="wagtailcore_login"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
