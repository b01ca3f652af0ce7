from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.admin_display import ReadableModelViewSet
from lms.admin_search import FoldedSearchIndexView

from .admin_views import (
    ScopedInspectView,
    ScopedModelViewSet,
    StaffRecordCreateView,
    StaffRecordEditView,
)
from .exporting import STAFF_SEARCH_FIELDS
from .models import HRAssignment, OrgUnit, Position, StaffRecord
from .selectors import org_unit_list_in_scope, staff_list_in_scope

# Apps downstream of staff (certificates, ...) add sections to a staff record's admin pages
# through this hook, without staff importing them: each function is called with
# (request=, staff=) and returns HTML (a rendered template, "" for nothing) or a Wagtail
# Component. Functions decide themselves what the requesting user may see.
STAFF_RECORD_PANELS_HOOK = "lms_staff_record_panels"


def staff_record_panels(*, request, staff, parent_context=None) -> list[SafeString]:
    """The HTML of every section registered for a staff record's admin pages, in hook order."""
    panels = []
    for fn in hooks.get_hooks(STAFF_RECORD_PANELS_HOOK):
        panel = fn(request=request, staff=staff)
        if not panel:
            continue
        if hasattr(panel, "render_html"):  # a wagtail.admin.ui.components.Component
            panel = panel.render_html(parent_context)
        # trusted only when already marked safe (render_to_string and components are)
        html = conditional_escape(panel)
        if html:
            panels.append(html)
    return panels


class _StaffRecordPanelsMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_record_panels"] = staff_record_panels(
            request=self.request, staff=self.object, parent_context=context
        )
        return context


class StaffRecordInspectView(_StaffRecordPanelsMixin, ScopedInspectView):
    template_name = "staff/admin/staff_record_inspect.html"


class StaffRecordEditWithPanelsView(_StaffRecordPanelsMixin, StaffRecordEditView):
    """The edit page HR lands on from the listing shows the same sections under the form."""

    template_name = "staff/admin/staff_record_edit.html"


class StaffRecordViewSet(ScopedModelViewSet):
    model = StaffRecord
    icon = "user"
    menu_label = _("Staff records")
    list_display = ["full_name", "personnel_number", "position", "org_unit", "active"]
    list_filter = ["active", "position"]
    search_fields = STAFF_SEARCH_FIELDS
    form_fields = [
        "personnel_number",
        "full_name",
        "date_of_birth",
        "org_unit",
        "position",
        "email",
        "phone",
        "user",
        "active",
    ]
    inspect_view_enabled = True
    scope = staticmethod(staff_list_in_scope)
    add_view_class = StaffRecordCreateView
    edit_view_class = StaffRecordEditWithPanelsView
    inspect_view_class = StaffRecordInspectView


class PositionViewSet(ReadableModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Job positions")
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]
    index_view_class = FoldedSearchIndexView
    form_fields = ["code", "name", "name_en", "level", "description"]


class OrgUnitViewSet(ScopedModelViewSet):
    """HR officers see the units of their own subtree only."""

    model = OrgUnit
    scope = staticmethod(org_unit_list_in_scope)
    icon = "site"
    menu_label = _("Org units")
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    form_fields = ["code", "name", "kind", "valid_from", "valid_to"]
    copy_view_enabled = False


class HRAssignmentViewSet(ReadableModelViewSet):
    model = HRAssignment
    icon = "group"
    menu_label = _("HR scopes")
    list_display = ["user", "org_unit"]
    form_fields = ["user", "org_unit"]


class StaffGroup(ViewSetGroup):
    menu_label = _("Organisation and staff")
    menu_icon = "group"
    menu_order = 200
    items = (StaffRecordViewSet, PositionViewSet, OrgUnitViewSet, HRAssignmentViewSet)


@hooks.register("register_admin_viewset")
def register_staff_viewsets():
    return StaffGroup()


from . import admin_exports  # noqa: E402,F401  (registers export and account screens)

# isort: split
from . import admin_imports  # noqa: E402,F401  (registers the import screens)
