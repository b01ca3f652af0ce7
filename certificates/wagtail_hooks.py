from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from assessments.views import ATTEMPT_RESULT_LINKS_HOOK
from staff.admin_views import ScopedModelViewSet

from .models import Certificate, CertificateTemplate
from .selectors import certificate_list_in_scope


@hooks.register(ATTEMPT_RESULT_LINKS_HOOK)
def certificate_links_for_attempt(*, attempt):
    return [
        (
            _("Certificate %(serial)s") % {"serial": c.serial},
            reverse("certificates:verify", args=[c.verification_code]),
        )
        for c in Certificate.objects.filter(staff=attempt.staff, basis=f"attempt:{attempt.pk}")
    ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate templates")
    list_display = ["title", "exam", "validity_months", "active"]
    form_fields = [
        "title",
        "body",
        "issuer",
        "signatory_name",
        "signatory_title",
        "validity_months",
        "exam",
        "active",
    ]


class CertificateViewSet(ScopedModelViewSet):
    """Issued certificates, seen by HR only inside their org-unit subtree."""

    model = Certificate
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Issued certificates")
    list_display = [
        "serial",
        "holder_name",
        "unit_name",
        "template",
        "issued_on",
        "valid_until",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["serial", "holder_name"]
    inspect_view_enabled = True
    form_fields = ["status", "status_reason"]
    scope = staticmethod(certificate_list_in_scope)


class CertificateGroup(ViewSetGroup):
    menu_label = gettext_lazy("Certificates")
    menu_icon = "doc-full-inverse"
    menu_order = 230
    items = (CertificateViewSet, CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificateGroup()
