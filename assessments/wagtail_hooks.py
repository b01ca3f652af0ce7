from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks

from competencies.routes import COMPETENCY_ROUTES_HOOK
from courses.selectors import COURSE_ACTIONS_HOOK, CourseAction
from staff.wagtail_hooks import STAFF_RECORD_PANELS_HOOK

from .bank_admin import BULK_ACTIONS, QuestionViewSet
from .exam_admin import ExamViewSet
from .selectors import exam_award_ranks_for_competencies, exam_list_for_course
from .services import exam_waits_for_course


@hooks.register(COURSE_ACTIONS_HOOK)
def exam_actions_for_course(*, course, staff, completed):
    """The course page links to its exams; certification is locked until the course is done,
    practice never is."""
    actions = []
    for exam in exam_list_for_course(course=course):
        locked = exam_waits_for_course(exam=exam) and not completed
        actions.append(
            CourseAction(
                label=exam.title,
                url=reverse("assessments:exam", args=[exam.pk]),
                enabled=not locked,
                note=_("Complete all lessons to unlock the exam.") if locked else "",
            )
        )
    return actions


@hooks.register(COMPETENCY_ROUTES_HOOK)
def exam_routes(*, competency_ids):
    """Certification exams are one way to obtain a competency, up to the level they award."""
    return exam_award_ranks_for_competencies(competency_ids=competency_ids)


@hooks.register("register_log_actions")
def register_question_log_actions(actions):
    """The review workflow's steps, as they read in a question's history."""
    prefix = "assessments.question."
    for action, label, message in (
        ("version", _lazy("New version"), _lazy("New version saved")),
        ("review", _lazy("Mark as reviewed"), _lazy("Marked as reviewed")),
        ("approve", _lazy("Approve"), _lazy("Approved")),
        ("return_to_draft", _lazy("Return to draft"), _lazy("Returned to draft")),
        ("retire", _lazy("Retire"), _lazy("Retired")),
    ):
        actions.register_action(prefix + action, label, message)


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return QuestionViewSet("question", url_prefix="questions")


for _bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action)
from . import bank_import_admin  # noqa: E402, F401 - registers the import/export screens


@hooks.register("register_admin_viewset")
def register_exam_viewset():
    return ExamViewSet("exam", url_prefix="exams")


@hooks.register("register_admin_urls")
def register_item_statistics_urls():
    from .item_statistics_admin import item_statistics_urls

    return item_statistics_urls()


@hooks.register("register_reports_menu_item")
def register_item_statistics_menu_item():
    from .item_statistics_admin import item_statistics_menu_item

    return item_statistics_menu_item()


@hooks.register("register_admin_urls")
def register_late_response_urls():
    from .late_admin import late_response_urls

    return late_response_urls()


@hooks.register("register_admin_menu_item")
def register_late_response_menu_item():
    from .late_admin import late_response_menu_item

    return late_response_menu_item()


@hooks.register("register_log_actions")
def register_late_response_log_actions(actions):
    """A response file's life, as it reads in the audit log."""
    prefix = "assessments.late_response."
    for action, label, message in (
        ("receive", _lazy("Receive late answers"), _lazy("Late answers received")),
        ("accept", _lazy("Accept late answers"), _lazy("Late answers accepted, attempt re-graded")),
        ("reject", _lazy("Reject late answers"), _lazy("Late answers rejected")),
    ):
        actions.register_action(prefix + action, label, message)


@hooks.register(STAFF_RECORD_PANELS_HOOK)
def staff_record_learning(*, request, staff):
    """The staff record's "Learning" section: courses, exam attempts, standing (for HR)."""
    from .staff_learning import staff_record_learning_panel

    return staff_record_learning_panel(request=request, staff=staff)
