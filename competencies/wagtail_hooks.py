from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.admin_display import ReadableModelViewSet
from lms.admin_menu import PermissionMenuItem
from lms.admin_search import FoldedSearchIndexView

from . import admin_views
from .models import Competency, Domain, Framework, ProficiencyLevel

MENU_HOOK = "register_competencies_menu_item"


class DomainViewSet(ReadableModelViewSet):
    model = Domain
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Domains")
    list_display = ["code", "name"]
    form_fields = ["code", "name", "name_en"]


class CompetencyViewSet(ReadableModelViewSet):
    model = Competency
    icon = "tick-inverse"
    menu_label = gettext_lazy("Competencies")
    list_display = ["code", "title", "domain", "assessed_by_hr"]
    list_filter = ["domain", "assessed_by_hr"]
    search_fields = ["code", "title"]
    index_view_class = FoldedSearchIndexView
    form_fields = ["code", "title", "title_en", "description", "domain", "assessed_by_hr"]


class ProficiencyLevelViewSet(ReadableModelViewSet):
    model = ProficiencyLevel
    icon = "order"
    menu_label = gettext_lazy("Proficiency levels")
    list_display = ["rank", "name"]
    form_fields = ["rank", "name", "name_en"]


class FrameworkIndexView(generic.IndexView):
    def get_edit_url(self, instance):
        if instance.status == Framework.Status.DRAFT:
            return super().get_edit_url(instance)
        # a published or retired version opens its (read-only) requirements instead
        return reverse("competencies_admin:matrix") + f"?framework={instance.pk}"

    def get_list_more_buttons(self, instance):
        user = self.request.user
        draft = instance.status == Framework.Status.DRAFT
        # a published or retired framework is history: no edit, no delete
        buttons = super().get_list_more_buttons(instance) if draft else []
        buttons.append(
            ListingMenuItem(
                _("Requirements"),
                url=reverse("competencies_admin:matrix") + f"?framework={instance.pk}",
                icon_name="table",
                priority=5,
            )
        )
        if draft and user.has_perm("competencies.change_framework"):
            buttons.append(
                ListingMenuItem(
                    _("Publish"),
                    url=reverse("competencies_admin:framework_publish", args=[instance.pk]),
                    icon_name="upload",
                    priority=6,
                )
            )
        if not draft and user.has_perm("competencies.add_framework"):
            buttons.append(
                ListingMenuItem(
                    _("New version"),
                    url=reverse("competencies_admin:framework_new_version", args=[instance.pk]),
                    icon_name="copy",
                    priority=7,
                )
            )
        return buttons


class _DraftOnlyMixin:
    """Published and retired frameworks are read-only: their edit and delete views send the
    user back to the list with an explanation."""

    def dispatch(self, request, *args, **kwargs):
        framework = get_object_or_404(Framework, pk=unquote(str(kwargs["pk"])))
        if framework.status != Framework.Status.DRAFT:
            messages.error(
                request,
                _(
                    "A published or retired framework cannot be changed or deleted; "
                    "create a new version instead."
                ),
            )
            return redirect("framework:index")
        return super().dispatch(request, *args, **kwargs)


class FrameworkEditView(_DraftOnlyMixin, generic.EditView):
    pass


class FrameworkDeleteView(_DraftOnlyMixin, generic.DeleteView):
    pass


class FrameworkViewSet(ReadableModelViewSet):
    model = Framework
    icon = "list-ul"
    menu_label = gettext_lazy("Frameworks")
    list_display = ["name", "version", "status", "published_at"]
    ordering = ["name", "-version"]
    form_fields = ["name", "version"]
    copy_view_enabled = False  # "New version" copies the requirements too
    index_view_class = FrameworkIndexView
    edit_view_class = FrameworkEditView
    delete_view_class = FrameworkDeleteView


class CompetencyGroup(ViewSetGroup):
    menu_label = gettext_lazy("Competency framework")
    menu_icon = "tick-inverse"
    menu_order = 210
    submenu_hook = MENU_HOOK
    items = (FrameworkViewSet, DomainViewSet, CompetencyViewSet, ProficiencyLevelViewSet)


@hooks.register("register_admin_viewset")
def register_competency_viewsets():
    return CompetencyGroup()


@hooks.register("register_admin_urls")
def register_competency_admin_urls():
    urls = [
        path("matrix/", admin_views.MatrixChooseView.as_view(), name="matrix"),
        path(
            "matrix/<int:framework_id>/<int:position_id>/",
            admin_views.MatrixView.as_view(),
            name="matrix_edit",
        ),
        path(
            "frameworks/<int:framework_id>/publish/",
            admin_views.FrameworkPublishView.as_view(),
            name="framework_publish",
        ),
        path(
            "frameworks/<int:framework_id>/new-version/",
            admin_views.FrameworkNewVersionView.as_view(),
            name="framework_new_version",
        ),
        path("assess/", admin_views.AssessSearchView.as_view(), name="assess_search"),
        path("assess/<int:staff_id>/", admin_views.AssessView.as_view(), name="assess"),
        path(
            "records/<int:record_id>/evidence/",
            admin_views.evidence_download,
            name="evidence_download",
        ),
    ]
    return [path("competencies/", (urls, "competencies_admin", "competencies_admin"))]


@hooks.register(MENU_HOOK)
def register_matrix_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Requirements by position"),
        reverse("competencies_admin:matrix"),
        icon_name="table",
        order=2,
        permission="competencies.change_requirement",
    )


@hooks.register(MENU_HOOK)
def register_assess_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Record an assessment"),
        reverse("competencies_admin:assess_search"),
        icon_name="tick-inverse",
        order=6,
        permission="competencies.add_competencyrecord",
    )
