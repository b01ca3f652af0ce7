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
    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục khóa học")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_list_live

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list_live(index=self)
        return context


class CoursePage(Page):
    summary = models.TextField(_("tóm tắt"), max_length=1000)
    domain = models.ForeignKey(
        Domain, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+"
    )
    competencies = ParentalManyToManyField(
        Competency, verbose_name=_("năng lực được đào tạo"), blank=True, related_name="+"
    )
    target_positions = ParentalManyToManyField(
        Position, verbose_name=_("vị trí áp dụng"), blank=True, related_name="+"
    )
    estimated_hours = models.DecimalField(
        _("thời lượng (giờ)"), max_digits=5, decimal_places=1, default=1
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
            heading=_("Khung năng lực"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("khóa học")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = course_overview(course=self, user=request.user)
        return context


class LessonPage(Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("nội dung"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài học")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_navigation

        context = super().get_context(request, *args, **kwargs)
        context["nav"] = lesson_navigation(lesson=self, user=request.user)
        return context


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Tự đăng ký")
        ASSIGNED = "assigned", _("Được giao")
        AUTOMATIC = "automatic", _("Tự động theo khoảng trống năng lực")

    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("hình thức"), max_length=16, choices=Source.choices)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [models.UniqueConstraint(fields=["staff", "course"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.course}"


class LessonProgress(models.Model):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [
            models.UniqueConstraint(fields=["staff", "lesson"], name="lessonprogress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.lesson}"
