"""Demo data for the embedded mode: a small but real organisation, framework, courses, question
bank, exams and one account per role. Every step is an upsert, so seeding twice changes nothing.
Each part lives in its own module; this one only puts them in order."""

from django.db import transaction

from courses.models import CourseIndexPage
from courses.services import course_catalogue_grant_trainers, course_reviewer_grant
from reports.snapshots import snapshot_take
from reports.standings import standings_rebuild
from staff.models import StaffRecord
from staff.services import roles_sync

from .accounts import users_seed
from .assessments import demo_questions_seed, practice_exams_seed
from .certificates import certificate_template_seed
from .competencies import catalogue_seed, framework_seed, officer_assessments_seed
from .courses import demo_courses_seed
from .courses_english import demo_english_translation
from .reports import report_officers_seed
from .site import child_page_seed, site_home_seed
from .staff import organisation_seed


@transaction.atomic
def seed_demo() -> None:
    roles_sync()
    users = users_seed()
    positions = organisation_seed(users=users)
    course_reviewer_grant(user=users["duyetkh"])

    domains, competencies, levels = catalogue_seed()
    framework_seed(positions=positions, competencies=competencies, levels=levels)
    officer_assessments_seed(
        staff=StaffRecord.objects.get(personnel_number="HN-000001"),
        hr=users["nhansu"],
        competencies=competencies,
        levels=levels,
    )
    report_officers_seed(
        positions=positions,
        competencies=competencies,
        levels=levels,
        hr_by_province={"HN": users["nhansu"], "CB": users["nhansu2"]},
    )

    home = site_home_seed()
    index = child_page_seed(
        home,
        CourseIndexPage,
        "khoa-hoc",
        title="Khóa học",
        intro="<p>Các khóa học theo khung năng lực tối thiểu.</p>",
    )
    course_catalogue_grant_trainers(index=index)
    courses = demo_courses_seed(
        index=index,
        domains=domains,
        competencies=competencies,
        levels=levels,
        positions=positions,
    )
    exams = demo_questions_seed(competencies=competencies, levels=levels, courses=courses)
    practice_exams_seed(competencies=competencies, courses=courses)
    certificate_template_seed(exam=exams["do-luong-co-ban"])
    # the metrology course in English, through Wagtail's copy for translation
    demo_english_translation()
    # the reports' figures (kept current after commit from here on) and this month's snapshot
    standings_rebuild()
    snapshot_take()
