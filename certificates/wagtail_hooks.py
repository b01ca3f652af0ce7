from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from assessments.views import ATTEMPT_RESULT_LINKS_HOOK
from lms.admin_display import ReadableModelViewSet
from lms.admin_menu import PermissionMenuItem
from staff.admin_views import ScopedModelViewSet

from . import admin_views
from .models import Certificate, CertificateTemplate
from .selectors import certificate_list_in_scope
from .services import LOG_REISSUE, LOG_REPLACEMENT, LOG_REVOKE


@hooks.register(ATTEMPT_RESULT_LINKS_HOOK)
def certificate_links_for_attempt(*, attempt):
    """The certificate the attempt earned: its PDF first (or "My certificates" while the PDF
    is being made), its public verification page second."""
    links = []
    for c in Certificate.objects.filter(staff=attempt.staff, basis=f"attempt:{attempt.pk}"):
        if c.pdf:
            label = _("Download certificate %(serial)s (PDF)") % {"serial": c.serial}
            url = reverse("certificates:download", args=[c.pk])
        else:
            label = _("Certificate %(serial)s is being prepared: see My certificates") % {
                "serial": c.serial
            }
            url = reverse("certificates:my_certificates")
        links.append(
            {
                "label": label,
                "url": url,
                "verify_url": reverse("certificates:verify", args=[c.verification_code]),
            }
        )
    return links


class CertificateTemplateViewSet(ReadableModelViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate templates")
    index_view_class = admin_views.CertificateTemplateIndexView
    edit_view_class = admin_views.CertificateTemplateEditView
    list_display = ["title", "exam", "course", "position", "validity_months", "active"]
    form_fields = [
        "title",
        "body",
        "issuer",
        "signatory_name",
        "signatory_title",
        "logo",
        "signature_image",
        "validity_months",
        "exam",
        "course",
        "position",
        "active",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", admin_views.template_preview, name="preview"),
        ]


register_permission_policy(Certificate, admin_views.CertificatePermissionPolicy(Certificate))


class CertificateViewSet(ScopedModelViewSet):
    """Issued certificates, seen by HR only inside their org-unit subtree. Nobody edits one:
    the actions are revoke and re-issue (audited), from the listing or the inspect page."""

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
    list_filter = ["status", "template"]
    search_fields = ["serial", "holder_name", "staff__personnel_number"]
    inspect_view_enabled = True
    inspect_view_fields = admin_views.CertificateInspectView.fields
    inspect_view_fields_exclude = admin_views.CertificateInspectView.fields_exclude
    # the policy refuses add/change/delete to everyone; the forms are never shown
    form_fields = ["status_reason"]
    scope = staticmethod(certificate_list_in_scope)
    index_view_class = admin_views.CertificateIndexView
    inspect_view_class = admin_views.CertificateInspectView
    history_view_class = admin_views.CertificateHistoryView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.certificate_revoke_view, name="revoke"),
            path("reissue/<int:pk>/", admin_views.certificate_reissue_view, name="reissue"),
        ]


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    """Revocation and re-issue, as they read in a certificate's history."""
    for action, label, message in (
        (LOG_REVOKE, gettext_lazy("Revoke"), gettext_lazy("Revoked")),
        (
            LOG_REISSUE,
            gettext_lazy("Re-issue"),
            gettext_lazy("Superseded by a re-issued certificate"),
        ),
        (
            LOG_REPLACEMENT,
            gettext_lazy("Replacement"),
            gettext_lazy("Issued to replace a certificate"),
        ),
    ):
        actions.register_action(action, label, message)


class CertificateGroup(ViewSetGroup):
    menu_label = gettext_lazy("Certificates")
    menu_icon = "doc-full-inverse"
    menu_order = 230
    items = (CertificateViewSet, CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificateGroup()


admin_urlpatterns = [
    path("issue/", admin_views.issue, name="issue"),
    path("issue/<int:pk>/", admin_views.issue_job, name="issue_job"),
    path("export/", admin_views.export, name="export"),
    path("export/<int:pk>/", admin_views.export_job, name="export_job"),
    path("export/<int:pk>/download/", admin_views.export_download, name="export_download"),
]


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/", include((admin_urlpatterns, "certificates_admin")))]


@hooks.register("register_admin_menu_item")
def register_issue_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Issue certificates"),
        reverse("certificates_admin:issue"),
        name="certificates-issue",
        icon_name="doc-full-inverse",
        order=231,  # right after the "Certificates" group
        permission=admin_views.ISSUE_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Export certificates"),
        reverse("certificates_admin:export"),
        name="certificates-export",
        icon_name="download",
        order=232,
        permission=admin_views.EXPORT_PERMISSION,
    )


# The staff record's admin page shows the person's certificates through this hook, which the
# staff app calls with (request=, staff=) and renders the returned HTML of (staff cannot import
# certificates: it is upstream).
STAFF_RECORD_PANELS_HOOK = "lms_staff_record_panels"


@hooks.register(STAFF_RECORD_PANELS_HOOK)
def staff_record_certificates(*, request, staff):
    return admin_views.staff_record_certificates_panel(request=request, staff=staff)


@hooks.register("construct_homepage_panels")
def add_expiring_certificates_panel(request, panels):
    if request.user.has_perm(admin_views.EXPORT_PERMISSION):
        panels.append(admin_views.ExpiringCertificatesPanel(request))
