"""The four roles are Django groups; this module is the one place that names them and says which
permissions each carries."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    OFFICER = "officer"
    TRAINER = "trainer"
    HR_OFFICER = "hr_officer"
    ADMINISTRATOR = "administrator"


# group names as shown in the Wagtail admin (Vietnamese, the staff's language)
ROLE_GROUP_NAMES: dict[Role, str] = {
    Role.OFFICER: "Cán bộ học viên",
    Role.TRAINER: "Giảng viên",
    Role.HR_OFFICER: "Cán bộ nhân sự",
    Role.ADMINISTRATOR: "Quản trị hệ thống",
}

ROLE_LABELS = {
    Role.OFFICER: _("Officer (learner)"),
    Role.TRAINER: _("Trainer"),
    Role.HR_OFFICER: _("HR officer"),
    Role.ADMINISTRATOR: _("System administrator"),
}

# "app_label.codename" permissions per role; the administrator group gets every permission.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.OFFICER: [],
    Role.TRAINER: [
        "wagtailadmin.access_admin",
        # Wagtail's "Translate" action: copies a course into English for translating
        "simple_translation.submit_translation",
        "competencies.view_competency",
        "competencies.view_domain",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_question",
        # trainers review and approve each other's questions (never their own version:
        # assessments.services.question_transition refuses it)
        "assessments.review_question",
        "assessments.approve_question",
        "assessments.add_exam",
        "assessments.change_exam",
        "assessments.view_exam",
        # a response file brought after the deadline: accept (re-grade) or reject with a reason
        "assessments.decide_lateresponse",
        "certificates.add_certificatetemplate",
        "certificates.change_certificatetemplate",
        "certificates.view_certificatetemplate",
    ],
    Role.HR_OFFICER: [
        "wagtailadmin.access_admin",
        "staff.view_staffrecord",
        "staff.add_staffrecord",
        "staff.change_staffrecord",
        "staff.view_orgunit",
        "staff.view_position",
        "competencies.view_competency",
        "competencies.view_competencyrecord",
        "competencies.add_competencyrecord",
        "competencies.view_domain",
        "competencies.view_proficiencylevel",
        "certificates.view_certificate",
        "certificates.revoke_certificate",
        "courses.add_enrolment",
        # the competency reports of their scope
        "reports.view_standing",
    ],
    Role.ADMINISTRATOR: [],
}

# Wagtail grants pages and media per subtree/collection, not globally: trainers get these on the
# course catalogue page and the root collection (courses.services.course_catalogue_grant_trainers)
# No "publish_page": a trainer's change is published once a course reviewer approves it in the
# "Course review" workflow (docs/architecture.md).
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]

# Course reviewers are trainers who also approve other trainers' course changes: a Wagtail group
# an administrator adds trusted trainers to (Settings → Users), not a role of its own. The group
# is the "Course review" workflow's approver; it has no page permissions beyond the trainers', so
# a reviewer's own changes go through another reviewer too.
COURSE_REVIEWER_GROUP_NAME = "Người duyệt khóa học"
TRAINER_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
