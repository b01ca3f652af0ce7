"""Exams in the Wagtail admin for trainers: the rules, the blueprint, pass marks per competency
and level thresholds on one form, and a "Publish" step that checks the bank first and lists
every blueprint cell it cannot fill. Views validate, call one service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy

from lms.admin_display import ReadableModelViewSet
from lms.admin_search import FoldedSearchIndexView

from .bank_selectors import approved_question_counts
from .models import Attempt, Difficulty, Exam, level_thresholds_problems
from .services import AssessmentError, blueprint_shortfalls, exam_publish, exam_rules_problems

exam_permission_policy = ModelPermissionPolicy(Exam)


class ExamForm(WagtailAdminModelForm):
    """Checks what spans the inline rows: thresholds rise with the level, a competency has one
    pass mark and one blueprint cell per difficulty."""

    def is_valid(self):
        # the inline formsets are validated after the form's own clean(): check across them here
        valid = super().is_valid()
        if not hasattr(self, "cleaned_data"):
            return valid
        before = len(self.non_field_errors())
        self._check_rows()
        return valid and len(self.non_field_errors()) == before

    def _check_rows(self):
        thresholds = self._live_rows("level_thresholds")
        pairs = [
            (row.cleaned_data["level"].rank, row.cleaned_data["min_percent"])
            for row in thresholds
            if row.cleaned_data.get("level") and row.cleaned_data.get("min_percent")
        ]
        for problem in level_thresholds_problems(pairs):
            self.add_error(None, problem)
        seen = set()
        for row in self._live_rows("competency_rules"):
            competency = row.cleaned_data.get("competency")
            if competency and competency.pk in seen:
                self.add_error(
                    None,
                    _("%(code)s has more than one pass mark.") % {"code": competency.code},
                )
            if competency:
                seen.add(competency.pk)
        cells = set()
        for row in self._live_rows("blueprint"):
            key = (row.cleaned_data.get("competency"), row.cleaned_data.get("difficulty"))
            if key[0] and key[1]:
                if key in cells:
                    self.add_error(
                        None,
                        _("The blueprint has %(code)s / %(difficulty)s twice.")
                        % {"code": key[0].code, "difficulty": key[1]},
                    )
                cells.add(key)
        if self.instance.pk and self.instance.published:
            self._check_bank_fills(self._live_rows("blueprint"))

    def _check_bank_fills(self, rows):
        """A published exam stays one officers can start: a blueprint edit the bank cannot fill
        is refused here, cell by cell, as publishing would refuse it."""
        wanted = {
            (row.cleaned_data["competency"], row.cleaned_data["difficulty"]): row.cleaned_data[
                "count"
            ]
            for row in rows
            if row.cleaned_data.get("competency")
            and row.cleaned_data.get("difficulty")
            and row.cleaned_data.get("count")
        }
        available = approved_question_counts(
            cells=[(competency.pk, difficulty) for competency, difficulty in wanted]
        )
        difficulties = dict(Difficulty.choices)
        for (competency, difficulty), needed in wanted.items():
            has = available[(competency.pk, difficulty)]
            if has < needed:
                self.add_error(
                    None,
                    _(
                        "The exam is published: %(code)s / %(difficulty)s needs %(needed)d "
                        "approved questions and the bank has %(available)d. Add questions or "
                        "withdraw the exam first."
                    )
                    % {
                        "code": competency.code,
                        "difficulty": difficulties.get(difficulty, difficulty),
                        "needed": needed,
                        "available": has,
                    },
                )

    def _live_rows(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [
            form
            for form in formset.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        ]


class ExamPublishView(View):
    """GET: what stands in the way of publishing (short blueprint cells, rule problems).
    POST: publish through `exam_publish`, which checks the bank again."""

    template_name = "assessments/admin/exam_publish.html"

    def dispatch(self, request, pk):
        if not exam_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.exam = get_object_or_404(Exam, pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "exam": self.exam,
                "shortfalls": blueprint_shortfalls(exam=self.exam),
                "problems": exam_rules_problems(exam=self.exam),
                "cells": list(self.exam.blueprint.select_related("competency")),
            },
        )

    def post(self, request, pk):
        if request.POST.get("action") == "unpublish":
            Exam.objects.filter(pk=self.exam.pk).update(published=False)
            messages.success(
                request, _("'%(title)s' is no longer published.") % {"title": self.exam}
            )
            return redirect("exam:edit", self.exam.pk)
        try:
            exam_publish(exam=self.exam)
        except AssessmentError as error:
            messages.error(request, error.message)
            return redirect("exam:publish", self.exam.pk)
        messages.success(request, _("'%(title)s' is published.") % {"title": self.exam})
        return redirect("exam:index")


class ExamDeleteView(generic.DeleteView):
    """An exam someone has sat cannot be deleted: its attempts are evidence."""

    def _used(self):
        if Attempt.objects.filter(exam=self.object).exists():
            messages.error(
                self.request, _("Officers have taken this exam, so it cannot be deleted.")
            )
            return redirect("exam:edit", self.object.pk)
        return None

    def get(self, request, *args, **kwargs):
        return self._used() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._used() or super().post(request, *args, **kwargs)


def blueprint_shortfalls_text(shortfalls) -> str:
    """The short cells as publishing lists them: "code / difficulty needs n, has m; …"."""
    return "; ".join(
        _("%(code)s / %(difficulty)s needs %(needed)d, has %(available)d")
        % {
            "code": cell.competency.code,
            "difficulty": cell.get_difficulty_display(),
            "needed": cell.count,
            "available": available,
        }
        for cell, available in shortfalls
    )


class _WarnUnfillableBlueprintMixin:
    """Saving is allowed (the bank may be filled later), but the trainer learns at once which
    blueprint cells publishing will refuse, with the check publishing uses."""

    def save_instance(self):
        instance = super().save_instance()
        shortfalls = blueprint_shortfalls(exam=instance)
        if shortfalls:
            messages.warning(
                self.request,
                _("The bank cannot fill this blueprint yet, so the exam cannot be published: ")
                + blueprint_shortfalls_text(shortfalls),
            )
        return instance


class ExamCreateView(_WarnUnfillableBlueprintMixin, generic.CreateView):
    pass


class ExamEditView(_WarnUnfillableBlueprintMixin, generic.EditView):
    pass


class ExamViewSet(ReadableModelViewSet):
    model = Exam
    icon = "doc-full"
    menu_label = gettext_lazy("Exams")
    menu_order = 231
    add_to_admin_menu = True
    copy_view_enabled = False
    delete_view_class = ExamDeleteView
    add_view_class = ExamCreateView
    edit_view_class = ExamEditView
    search_fields = ["title"]
    index_view_class = FoldedSearchIndexView
    list_filter = ["kind", "published"]
    ordering = ["title"]
    list_display = [
        "title",
        Column("kind", label=gettext_lazy("Type"), accessor="get_kind_display"),
        Column("course", label=gettext_lazy("Course"), accessor="course"),
        Column(
            "published",
            label=gettext_lazy("Published"),
            accessor=lambda exam: _("Yes") if exam.published else _("No"),
        ),
        TitleColumn(
            "publish",
            label=gettext_lazy("Publishing"),
            accessor=lambda exam: _("Check and publish"),
            url_name="exam:publish",
        ),
    ]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("title_en"),
                    FieldPanel("kind"),
                    FieldPanel("course"),
                    FieldPanel("requires_course_completion"),
                    FieldPanel("instructions"),
                    FieldPanel("instructions_en"),
                ],
                heading=gettext_lazy("Exam"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("time_limit_minutes"),
                    FieldPanel("pass_mark_percent"),
                    FieldPanel("max_attempts"),
                    FieldPanel("cooldown_minutes"),
                    FieldPanel("opens_at"),
                    FieldPanel("closes_at"),
                    FieldPanel("shuffle_questions"),
                    FieldPanel("shuffle_options"),
                ],
                heading=gettext_lazy("Rules"),
            ),
            MultiFieldPanel(
                [FieldPanel("eligible_positions")],
                heading=gettext_lazy("Who may take it"),
            ),
            MultiFieldPanel(
                [FieldPanel("review_after_submit"), FieldPanel("review_after_close")],
                heading=gettext_lazy("What officers see afterwards"),
            ),
            InlinePanel(
                "blueprint",
                heading=gettext_lazy("Blueprint"),
                label=gettext_lazy("Blueprint cell"),
                min_num=0,
            ),
            InlinePanel(
                "competency_rules", heading=gettext_lazy("Pass mark per competency"), min_num=0
            ),
            MultiFieldPanel(
                [
                    FieldPanel("awarded_level"),
                    InlinePanel(
                        "level_thresholds",
                        heading=gettext_lazy("Level thresholds"),
                        label=gettext_lazy("Level threshold"),
                        min_num=0,
                    ),
                ],
                heading=gettext_lazy("Levels recorded on passing"),
                help_text=gettext_lazy(
                    "With thresholds, each competency is recorded at the highest level its "
                    "score reaches; without, at the level awarded."
                ),
            ),
        ],
        base_form_class=ExamForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("publish/<int:pk>/", ExamPublishView.as_view(), name="publish"),
        ]
