"""Course catalogue, course and lesson pages (authored in Wagtail), enrolments and progress."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page

from competencies.models import Competency, Domain, ProficiencyLevel
from lms.search import FOLDED_SEARCH_FIELDS, FoldedSearchTextMixin
from staff.models import Position, StaffRecord

from .blocks import LessonBodyBlock

# a page's extra template context comes from this hook (courses/page_context.py answers for
# the course pages): the selectors that read it import these models
PAGE_CONTEXT_HOOK = "lms_page_context"


class PageContextMixin:
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for provide in hooks.get_hooks(PAGE_CONTEXT_HOOK):
            context.update(provide(page=self, request=request))
        return context


class CourseIndexPage(FoldedSearchTextMixin, PageContextMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "intro")
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")


class CoursePage(FoldedSearchTextMixin, PageContextMixin, Page):
    summary = models.TextField(_("summary"), max_length=1000)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="+"
    )
    target_positions = ParentalManyToManyField(
        Position, verbose_name=_("target positions"), blank=True, related_name="+"
    )
    estimated_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, default=1
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisite courses"),
        blank=True,
        symmetrical=False,
        related_name="+",
        help_text=_("Courses an officer must complete before enrolling in this one."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("domain"),
                FieldPanel("target_positions"),
                FieldPanel("estimated_hours"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Competency framework"),
        ),
        InlinePanel(
            "taught",
            heading=_("Competencies taught"),
            label=_("competency"),
            help_text=_("Each competency the course teaches and the level it brings officers to."),
        ),
    ]
    # the admin's page search finds a course by its title and summary, diacritics ignored
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "summary")
    parent_page_types = ["courses.CourseIndexPage"]
    # lessons straight under the course, or grouped in modules
    subpage_types = ["courses.LessonPage", "courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")


class CourseCompetency(Orderable):
    """A competency a course teaches and the proficiency level it brings an officer to."""

    course = ParentalKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="taught"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("level reached"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("competency"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        verbose_name = _("competency taught")
        verbose_name_plural = _("competencies taught")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="coursecompetency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competency} → {self.level}"


class ModulePage(FoldedSearchTextMixin, Page):
    """An optional group of lessons inside a course; the course reads its lessons in tree order."""

    summary = models.TextField(_("summary"), max_length=1000, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "summary")
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def serve(self, request, *args, **kwargs):
        # a module has no page of its own: its lessons are listed on the course page
        return redirect(f"{self.get_parent().get_url(request)}#{self.slug}", permanent=False)


class LessonPage(FoldedSearchTextMixin, PageContextMixin, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    # the admin's page search finds a lesson by any word of its content, diacritics ignored
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "body")
    # its videos get a captions track served by courses:lesson_captions (blocks.VideoBlock)
    serves_video_captions = True
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")
        AUTOMATIC = "automatic", _("Automatic, from a competency gap")

    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("staff record"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    source = models.CharField(_("enrolment method"), max_length=16, choices=Source.choices)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # who assigned the course last (HR through "Assign a course"); empty for self-enrolments,
    # automatic ones and assignments made before this was recorded
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["staff", "course"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.course}"


class LessonProgress(models.Model):
    staff = models.ForeignKey(
        StaffRecord, verbose_name=_("staff record"), on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["staff", "lesson"], name="lessonprogress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.lesson}"


class CourseReviewTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, where nobody approves a change they submitted themself: a
    reviewer's own course changes wait for another reviewer (four eyes)."""

    @staticmethod
    def _submitted_by(obj, user) -> bool:
        state = obj.current_workflow_state
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve the change, except the person who submitted it"
        )

    class Meta:
        verbose_name = _("course review task")
        verbose_name_plural = _("course review tasks")
