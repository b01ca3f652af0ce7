from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Competency, Domain, Framework, ProficiencyLevel


class DomainViewSet(ModelViewSet):
    model = Domain
    icon = "folder-open-inverse"
    menu_label = _("Domains")
    list_display = ["code", "name"]
    form_fields = ["code", "name"]


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "tick-inverse"
    menu_label = _("Competencies")
    list_display = ["code", "title", "domain"]
    list_filter = ["domain"]
    search_fields = ["code", "title"]
    form_fields = ["code", "title", "description", "domain"]


class ProficiencyLevelViewSet(ModelViewSet):
    model = ProficiencyLevel
    icon = "order"
    menu_label = _("Proficiency levels")
    list_display = ["rank", "name"]
    form_fields = ["rank", "name"]


class FrameworkViewSet(ModelViewSet):
    model = Framework
    icon = "list-ul"
    menu_label = _("Frameworks")
    list_display = ["name", "version", "status", "published_at"]
    form_fields = ["name", "version"]


class CompetencyGroup(ViewSetGroup):
    menu_label = _("Competency framework")
    menu_icon = "tick-inverse"
    menu_order = 210
    items = (FrameworkViewSet, DomainViewSet, CompetencyViewSet, ProficiencyLevelViewSet)


@hooks.register("register_admin_viewset")
def register_competency_viewsets():
    return CompetencyGroup()
