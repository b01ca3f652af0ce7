"""Course catalogue, course and lesson pages (authored in Wagtail), enrolments and progress."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from competencies.models import Competency, Domain
from staff.models import Position, StaffRecord

from .blocks import LessonBodyBlock


class CourseIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_list_live

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list_live(index=self)
        return context


class CoursePage(Page):
    summary = models.TextField(_("summary"), max_length=1000)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="+"
    )
    competencies = ParentalManyToManyField(
        Competency, verbose_name=_("competencies trained"), blank=True, related_name="+"
    )
    target_positions = ParentalManyToManyField(
        Position, verbose_name=_("target positions"), blank=True, related_name="+"
    )
    estimated_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, default=1
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("domain"),
                FieldPanel("competencies"),
                FieldPanel("target_positions"),
                FieldPanel("estimated_hours"),
            ],
            heading=_("Competency framework"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = course_overview(course=self, user=request.user)
        return context


class LessonPage(Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_navigation

        context = super().get_context(request, *args, **kwargs)
        context["nav"] = lesson_navigation(lesson=self, user=request.user)
        return context


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")
        AUTOMATIC = "automatic", _("Automatic, from a competency gap")

    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("enrolment method"), max_length=16, choices=Source.choices)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["staff", "course"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.course}"


class LessonProgress(models.Model):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["staff", "lesson"], name="lessonprogress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.lesson}"
