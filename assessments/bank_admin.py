"""The question bank in the Wagtail admin: list with filters and bulk actions, a structured
form per question type, an inspect view with versions and review history, and the review
workflow's buttons. Views validate, call one service, render."""

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from competencies.models import Competency, Domain
from lms.admin_display import ReadableModelViewSet
from lms.admin_search import FoldedSearchMixin
from lms.search import folded_search

from .bank_forms import QuestionForm
from .bank_selectors import question_history, question_versions
from .item_statistics import item_statistics_for_question
from .models import AttemptItem, Difficulty, Question
from .services import (
    QUESTION_TRANSITIONS,
    AssessmentError,
    question_create,
    question_transition,
    question_transition_refusal,
    question_update,
)

question_permission_policy = ModelPermissionPolicy(Question)

TRANSITION_LABELS = {
    "review": gettext_lazy("Mark as reviewed"),
    "approve": gettext_lazy("Approve"),
    "return_to_draft": gettext_lazy("Return to draft"),
    "retire": gettext_lazy("Retire"),
}


# --- list ----------------------------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    domain = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Domain"),
        field_name="competency__domain",
        queryset=Domain.objects.order_by("code"),
    )
    competency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Competency"), queryset=Competency.objects.order_by("code")
    )
    difficulty = django_filters.ChoiceFilter(
        label=gettext_lazy("Difficulty"), choices=Difficulty.choices
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Question.Status.choices
    )
    qtype = django_filters.ChoiceFilter(
        label=gettext_lazy("Question type"), choices=Question.Type.choices
    )
    tag = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Tag"),
        field_name="tags",
        queryset=Tag.objects.filter(assessments_questiontag_items__isnull=False)
        .distinct()
        .order_by("name"),
        distinct=True,
    )

    class Meta:
        model = Question
        fields = []


class QuestionIndexView(FoldedSearchMixin, generic.IndexView):
    template_name = "assessments/admin/question_index.html"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("competency", "current_version", "approved_version")
        )

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="question"),
            *super().columns,
        ]

    @cached_property
    def header_more_buttons(self):
        # import and export (assessments.bank_import_admin); exports keep the listing's filters
        buttons = super().header_more_buttons
        if self.request.user.has_perm("assessments.add_question"):
            query = self.request.GET.copy()
            for name in ("format", "p", "ordering"):
                query.pop(name, None)
            export_url = reverse("question_imports:export")
            buttons.append(
                Button(
                    _("Import questions"),
                    url=reverse("question_imports:upload"),
                    icon_name="upload",
                )
            )
            for fmt, label in (
                ("moodlexml", _("Export as Moodle XML")),
                ("gift", _("Export as GIFT")),
                ("xlsx", _("Export as Excel")),
            ):
                query["format"] = fmt
                buttons.append(
                    Button(label, url=f"{export_url}?{query.urlencode()}", icon_name="download")
                )
        return buttons

    def _get_title_column(self, field_name, *args, **kwargs):
        return super()._get_title_column(
            field_name,
            *args,
            get_title_id=lambda instance: f"question_{quote(instance.pk)}_title",
            **kwargs,
        )


def _version_label(version) -> str:
    return f"v{version.number}" if version else "—"


# --- create and edit -----------------------------------------------------------------------


class _QuestionFormMixin:
    template_name = "assessments/admin/question_form.html"

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except AssessmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)


class QuestionCreateView(_QuestionFormMixin, generic.CreateView):
    """A question's type is chosen first (a list of links), then its form is shown."""

    def dispatch(self, request, *args, **kwargs):
        self.qtype = request.GET.get("type") or request.POST.get("type")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.qtype not in Question.Type.values:
            return TemplateResponse(
                request,
                "assessments/admin/question_choose_type.html",
                {
                    **self.get_context_data_for_type_choice(),
                    "types": [
                        (label, f"{self.get_add_url()}?type={value}")
                        for value, label in Question.Type.choices
                    ],
                },
            )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.qtype not in Question.Type.values:
            return redirect(self.get_add_url())
        return super().post(request, *args, **kwargs)

    def get_context_data_for_type_choice(self):
        return {
            "page_title": _("New question"),
            "header_icon": "help",
            "breadcrumbs_items": self.get_breadcrumbs_items(),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "qtype": self.qtype}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["qtype"] = self.qtype
        context["qtype_label"] = Question.Type(self.qtype).label
        context["action_url"] = f"{self.add_url}?type={self.qtype}"
        return context

    def save_instance(self):
        form = self.form
        data = form.cleaned_data
        return question_create(
            name=data["name"],
            qtype=self.qtype,
            competency=data["competency"],
            difficulty=data["difficulty"],
            stem=data["stem"],
            options=form.clean_options,
            data=form.clean_data,
            explanation=data.get("explanation", ""),
            author=self.request.user,
            tags=data.get("tags") or [],
            legal_document=data.get("legal_document", ""),
            legal_article=data.get("legal_article", ""),
            legal_effective_date=data.get("legal_effective_date"),
        )

    def get_success_message(self, instance):
        return _("Question '%(name)s' saved as a draft. Another trainer reviews it next.") % {
            "name": instance
        }


class QuestionEditView(_QuestionFormMixin, generic.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["qtype"] = self.object.qtype
        context["qtype_label"] = self.object.get_qtype_display()
        context["version"] = self.object.current_version
        return context

    def save_instance(self):
        form = self.form
        data = form.cleaned_data
        question = form.save(commit=False)
        self.new_version = question_update(
            question=question,
            stem=data["stem"],
            options=form.clean_options,
            data=form.clean_data,
            explanation=data.get("explanation", ""),
            author=self.request.user,
        )
        question.tags.set(data.get("tags") or [])
        if self.new_version is None:
            log(question, "wagtail.edit", user=self.request.user)
        return question

    def get_success_message(self):
        question = self.object
        if self.new_version is None:
            return _("Question '%(name)s' updated; its text and answers are unchanged.") % {
                "name": question
            }
        if question.approved_version_id:
            return _(
                "Saved as version %(new)d, a draft until reviewed and approved. "
                "Exams keep using version %(approved)d meanwhile."
            ) % {"new": self.new_version.number, "approved": question.approved_version.number}
        return _("Saved as version %(new)d, a draft until reviewed and approved.") % {
            "new": self.new_version.number
        }


# --- inspect and workflow ------------------------------------------------------------------


def _available_transitions(question, user) -> list[tuple[str, str]]:
    return [
        (action, TRANSITION_LABELS[action])
        for action in QUESTION_TRANSITIONS
        if question_transition_refusal(question=question, action=action, user=user) is None
    ]


class QuestionInspectView(generic.InspectView):
    template_name = "assessments/admin/question_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Question.objects.select_related(
                "competency__domain", "current_version__created_by", "approved_version"
            ),
            pk=unquote(str(self.pk)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question = self.object
        user = self.request.user
        transitions = _available_transitions(question, user)
        # say why the usual next step is not offered (e.g. one's own version)
        blocked = []
        for action in QUESTION_TRANSITIONS:
            starts = QUESTION_TRANSITIONS[action][0]
            if question.status in starts and action not in {t[0] for t in transitions}:
                reason = question_transition_refusal(question=question, action=action, user=user)
                if reason and reason not in blocked:
                    blocked.append(reason)
        context.update(
            {
                "question": question,
                "versions": question_versions(question=question),
                "item_statistics": item_statistics_for_question(question=question),
                "history": question_history(question=question),
                "transitions": transitions,
                "blocked": blocked,
                "workflow_url": reverse("question:workflow", args=[question.pk]),
            }
        )
        return context


class QuestionWorkflowView(View):
    """POST action=…: apply one step of the review workflow to one question; a refusal
    (wrong status, one's own version, an unknown action) comes back as a message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not question_permission_policy.user_has_any_permission(request.user, ["change", "view"]):
            raise PermissionDenied
        question = get_object_or_404(Question, pk=pk)
        action = request.POST.get("action", "")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            question = question_transition(
                question=question,
                action=action,
                user=request.user,
                version_number=version,
                comment=request.POST.get("comment", ""),
            )
        except AssessmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("'%(name)s' is now %(status)s.")
                % {"name": question, "status": question.get_status_display().lower()},
            )
        return redirect("question:inspect", pk)


class QuestionDeleteView(generic.DeleteView):
    """A question an officer has already been given cannot be deleted: retire it instead."""

    def _used(self):
        if AttemptItem.objects.filter(question_version__question=self.object).exists():
            messages.error(
                self.request,
                _("This question has been used in exams, so it cannot be deleted. Retire it."),
            )
            return redirect("question:inspect", self.object.pk)
        return None

    # after the permission check in dispatch, before anything is shown or deleted
    def get(self, request, *args, **kwargs):
        return self._used() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._used() or super().post(request, *args, **kwargs)

    def delete_action(self):
        with transaction.atomic():
            # the question points at its versions and they at it: unhook before deleting
            Question.objects.filter(pk=self.object.pk).update(
                current_version=None, approved_version=None
            )
            self.object.refresh_from_db()
            super().delete_action()


class QuestionViewSet(ReadableModelViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Question bank")
    menu_order = 230
    add_to_admin_menu = True
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    inspect_view_class = QuestionInspectView
    delete_view_class = QuestionDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = QuestionFilterSet
    search_fields = ["name", "current_version__stem"]
    ordering = ["competency__code", "difficulty", "name"]
    list_display = [
        "name",
        Column("competency", label=gettext_lazy("Competency"), accessor="competency.code"),
        Column("difficulty", label=gettext_lazy("Difficulty"), accessor="get_difficulty_display"),
        Column("qtype", label=gettext_lazy("Type"), accessor="get_qtype_display"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "current_version",
            label=gettext_lazy("Latest version"),
            accessor=lambda q: _version_label(q.current_version),
        ),
        Column(
            "approved_version",
            label=gettext_lazy("Version in exams"),
            accessor=lambda q: _version_label(q.approved_version),
        ),
    ]

    def get_form_class(self, for_update=False):
        return QuestionForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("workflow/<int:pk>/", QuestionWorkflowView.as_view(), name="workflow"),
        ]


# --- bulk actions ----------------------------------------------------------------------------


class QuestionBulkTransition(BulkAction):
    """Apply one workflow step to the selected questions; those it cannot apply to (wrong
    status, one's own version) are listed with the reason and left alone."""

    models = [Question]
    template_name = "assessments/admin/question_bulk_confirm.html"
    transition = None  # set by subclasses

    def dispatch(self, request, *args, **kwargs):
        permission = QUESTION_TRANSITIONS[self.transition][2]
        if not request.user.has_perm(f"assessments.{permission}"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [i for i in object_ids if str(i).isdigit()]
        return list(model.objects.filter(pk__in=ids).select_related("current_version"))

    def get_all_objects_in_listing_query(self, parent_id):
        # "select all in the listing" means the listing as filtered and searched, not the bank
        questions = QuestionFilterSet(self.request.GET, queryset=Question.objects.all()).qs
        if query := self.request.GET.get("q", "").strip():
            questions = folded_search(questions, QuestionViewSet.search_fields, query)
        return questions.values_list("pk", flat=True)

    def check_perm(self, obj):
        refusal = question_transition_refusal(
            question=obj, action=self.transition, user=self.request.user
        )
        obj.refusal = refusal
        return refusal is None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context

    def get_execution_context(self):
        return {"user": self.request.user, "transition": self.transition}

    @classmethod
    def execute_action(cls, objects, user=None, transition=None, **kwargs):
        done = 0
        for question in objects:
            try:
                question_transition(question=question, action=transition, user=user)
            except AssessmentError:
                continue  # changed since the confirmation page: left as it is
            done += 1
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d question: %(action)s done.",
            "%(count)d questions: %(action)s done.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "action": self.display_name}


class ReviewBulkAction(QuestionBulkTransition):
    display_name = gettext_lazy("Mark as reviewed")
    aria_label = gettext_lazy("Mark the selected questions as reviewed")
    action_type = "review"
    transition = "review"
    action_priority = 10


class ApproveBulkAction(QuestionBulkTransition):
    display_name = gettext_lazy("Approve")
    aria_label = gettext_lazy("Approve the selected questions")
    action_type = "approve"
    transition = "approve"
    action_priority = 20


class RetireBulkAction(QuestionBulkTransition):
    display_name = gettext_lazy("Retire")
    aria_label = gettext_lazy("Retire the selected questions")
    action_type = "retire"
    transition = "retire"
    action_priority = 30
    classes = {"serious"}


BULK_ACTIONS = (ReviewBulkAction, ApproveBulkAction, RetireBulkAction)
