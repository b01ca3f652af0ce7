"""The thin end-to-end path on the demo data, through the views an officer and the public use."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import AttemptItem
from certificates.models import Certificate
from demo.accounts import DEMO_PASSWORD


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def login(client, username):
    response = client.post(reverse("account_login"), {"login": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]


def test_seeding_twice_changes_nothing(demo):
    from django.apps import apps

    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    call_command("seed_demo", stdout=io.StringIO())
    assert {m._meta.label: m.objects.count() for m in apps.get_models()} == counts


def test_the_seed_loads_the_34_provinces(demo):
    from staff.models import OrgUnit

    assert OrgUnit.objects.filter(kind__in=["province", "city"]).count() == 34


def test_an_officer_learns_passes_is_certified_and_anyone_verifies(
    demo, client, django_capture_on_commit_callbacks
):
    login(client, "canbo")
    course = client.get("/khoa-hoc/do-luong-co-ban/")
    assert course.status_code == 200
    assert "Bắt đầu học" in course.content.decode()

    lesson_urls = re.findall(r'href="(/khoa-hoc/do-luong-co-ban/[^"]+/)"', course.content.decode())
    from courses.models import LessonPage

    for lesson in LessonPage.objects.live().order_by("path"):
        page = client.get(lesson.url)
        assert page.status_code == 200
        assert client.post(reverse("courses:lesson_complete", args=[lesson.pk])).status_code == 302
    assert lesson_urls

    from assessments.forms import option_token
    from assessments.models import Exam

    exam = Exam.objects.get(title="Sát hạch: Đo lường cơ bản")
    start = client.post(reverse("assessments:start", args=[exam.pk]))
    assert start.status_code == 302
    attempt_id = int(start.url.split("/")[2])
    items = list(
        AttemptItem.objects.filter(attempt_id=attempt_id).select_related("question_version")
    )
    for item in items:
        page = client.get(reverse("assessments:question", args=[attempt_id, item.position]))
        html = page.content.decode()
        # the key is never in the page
        assert '"correct"' not in html and "correct" not in html.lower()
        right = option_token(
            item_id=item.pk,
            key=next(o["key"] for o in item.question_version.options if o["correct"]),
        )
        seq = re.search(r'name="seq" value="(\d+)"', html).group(1)
        client.post(
            reverse("assessments:question", args=[attempt_id, item.position]),
            {"answer": right, "seq": seq, "go": "next"},
        )
    review = client.get(reverse("assessments:review", args=[attempt_id]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("assessments:submit", args=[attempt_id]), {"idempotency_key": key}
        )
    result = client.get(result.url)
    assert "Đạt" in result.content.decode()

    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Nguyễn Thị Thu Hương"
    dashboard = client.get(reverse("dashboard"))
    assert certificate.serial in dashboard.content.decode()
    download = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    client.logout()
    verify = client.get(reverse("certificates:verify", args=[certificate.verification_code]))
    body = verify.content.decode()
    assert verify.status_code == 200
    for fact in (
        "Nguyễn Thị Thu Hương",
        certificate.template.title,
        "Còn hiệu lực",
        certificate.issued_on.strftime("%d/%m/%Y"),
        certificate.valid_until.strftime("%d/%m/%Y"),
    ):
        assert fact in body


def test_hr_of_the_province_sees_the_officer_and_certificate_hr_elsewhere_gets_404(
    demo, client, django_capture_on_commit_callbacks
):
    from assessments.models import Exam
    from staff.models import StaffRecord
    from tests.certificates.test_issuance import pass_exam
    from tests.conftest import ExamWorld

    officer = StaffRecord.objects.get(personnel_number="HN-000001")
    exam = Exam.objects.get(title="Sát hạch: Đo lường cơ bản")
    exam.requires_course_completion = False
    exam.save()
    world = ExamWorld(officer=officer, competency=None, level=exam.awarded_level, exam=exam)
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(world)
    certificate = Certificate.objects.get()
    staff_url = reverse("staffrecord:inspect", args=[officer.pk])
    cert_url = reverse("certificate:inspect", args=[certificate.pk])
    download_url = reverse("certificates:download", args=[certificate.pk])

    login(client, "nhansu")  # HR of Hà Nội, the officer's province
    assert client.get(staff_url).status_code == 200
    assert client.get(cert_url).status_code == 200
    assert client.get(download_url).status_code == 200
    listing = client.get(reverse("staffrecord:index"))
    assert "Nguyễn Thị Thu Hương" in listing.content.decode()

    client.logout()
    login(client, "nhansu2")  # HR of Cao Bằng
    assert client.get(staff_url).status_code == 404
    assert client.get(cert_url).status_code == 404
    assert client.get(download_url).status_code == 404
    listing = client.get(reverse("staffrecord:index"))
    assert "Nguyễn Thị Thu Hương" not in listing.content.decode()


def test_an_unknown_verification_code_gets_a_plain_not_found_page(db, client):
    response = client.get(reverse("certificates:verify", args=["x" * 43]))
    assert response.status_code == 404
    assert "Không tìm thấy chứng chỉ" in response.content.decode()


def test_the_trainer_edits_course_pages_in_the_admin_and_hr_cannot(demo, client):
    from courses.models import CoursePage

    course = CoursePage.objects.get(slug="do-luong-co-ban")
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    login(client, "giangvien")
    assert client.get(edit_url).status_code == 200
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    client.logout()
    login(client, "nhansu")
    assert client.get(edit_url).status_code in (302, 403)
