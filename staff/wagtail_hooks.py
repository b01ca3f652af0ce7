from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_views import ScopedModelViewSet, StaffRecordCreateView, StaffRecordEditView
from .models import HRAssignment, OrgUnit, Position, StaffRecord
from .selectors import org_unit_list_in_scope, staff_list_in_scope


class StaffRecordViewSet(ScopedModelViewSet):
    model = StaffRecord
    icon = "user"
    menu_label = _("Staff records")
    list_display = ["full_name", "personnel_number", "position", "org_unit", "active"]
    list_filter = ["active", "position"]
    search_fields = ["full_name", "personnel_number", "email"]
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
    edit_view_class = StaffRecordEditView


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Job positions")
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]
    form_fields = ["code", "name", "level", "description"]


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


class HRAssignmentViewSet(ModelViewSet):
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
