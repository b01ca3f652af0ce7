"""HR officers record levels they assessed themselves, for staff in their scope only, with a
note and an optional evidence file checked by its content."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competencies.models import CompetencyRecord
from competencies.services import competency_record_assess
from tests.competencies.support import assert_denied
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def provinces(world):
    """Province A holds the world's officer (Hà Nội); province B another officer."""
    province_a = world.officer.org_unit.get_parent()
    province_b = OrgUnitFactory(code="04", name="Cao Bằng")
    other = StaffRecordFactory(
        org_unit=OrgUnitFactory(code="04-TN", kind="commune", parent=province_b)
    )
    return {"a": province_a, "b": province_b, "other": other}


def url_for(staff):
    return reverse("competencies_admin:assess", args=[staff.pk])


def post_data(world, **overrides):
    data = {
        "competency": world.competency.pk,
        "level": world.level.pk,
        "assessed_on": "2026-01-10",
        "note": "Phỏng vấn và kiểm tra hồ sơ thực tế.",
        "idempotency_key": "k" * 32,
    }
    data.update(overrides)
    return data


def test_hr_records_an_assessment_with_an_evidence_file(
    client, world, provinces, hr_officer_of, settings
):
    hr = hr_officer_of(provinces["a"])
    client.force_login(hr)
    assert client.get(url_for(world.officer)).status_code == 200
    evidence = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(url_for(world.officer), post_data(world, evidence_file=evidence))
    assert response.status_code == 302
    record = CompetencyRecord.objects.get()
    assert record.source == CompetencyRecord.Source.MANUAL
    assert record.recorded_by == hr and record.note == "Phỏng vấn và kiểm tra hồ sơ thực tế."
    assert record.valid_until == date(2028, 1, 10)  # the framework says 24 months
    # stored in the private storage under a name of our choosing
    assert (
        record.evidence_file.name.endswith(".pdf") and "bien-ban" not in record.evidence_file.name
    )
    stored = settings.STORAGES["private"]["OPTIONS"]["location"] / record.evidence_file.name
    assert stored.read_bytes() == PDF


def test_hr_of_another_province_gets_404(client, world, provinces, hr_officer_of):
    client.force_login(hr_officer_of(provinces["b"]))
    assert client.get(url_for(world.officer)).status_code == 404
    assert client.post(url_for(world.officer), post_data(world)).status_code == 404
    assert not CompetencyRecord.objects.exists()
    # and the search lists only their own staff
    html = client.get(reverse("competencies_admin:assess_search")).content.decode()
    assert url_for(world.officer) not in html and url_for(provinces["other"]) in html


def test_an_exe_renamed_pdf_is_refused(client, world, provinces, hr_officer_of):
    client.force_login(hr_officer_of(provinces["a"]))
    fake = SimpleUploadedFile("bien-ban.pdf", EXE, content_type="application/pdf")
    response = client.post(url_for(world.officer), post_data(world, evidence_file=fake))
    assert response.status_code == 200
    assert response.context["form"].errors["evidence_file"]
    assert not CompetencyRecord.objects.exists()


def test_a_png_is_accepted_and_kept_as_a_png_whatever_its_name(world, provinces, hr_officer_of):
    record = competency_record_assess(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        note="Ảnh chụp biên bản.",
        evidence_file=SimpleUploadedFile("anh.pdf", PNG),
        recorded_by=hr_officer_of(provinces["a"]),
        assessed_on=date(2026, 1, 10),
    )
    assert record.evidence_file.name.endswith(".png")


def test_an_evidence_file_over_5_mb_is_refused(world, provinces, hr_officer_of):
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        competency_record_assess(
            staff=world.officer,
            competency=world.competency,
            level=world.level,
            note="Ghi chú.",
            evidence_file=big,
            recorded_by=hr_officer_of(provinces["a"]),
            assessed_on=date(2026, 1, 10),
        )
    assert "evidence_file" in caught.value.error_dict
    assert not CompetencyRecord.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "   "), ("assessed_on", "2999-01-01"), ("assessed_on", "không phải ngày")],
)
def test_a_blank_note_or_a_bad_date_is_refused(
    client, world, provinces, hr_officer_of, field, value
):
    client.force_login(hr_officer_of(provinces["a"]))
    response = client.post(url_for(world.officer), post_data(world, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not CompetencyRecord.objects.exists()


def test_the_same_submission_twice_records_once(client, world, provinces, hr_officer_of):
    client.force_login(hr_officer_of(provinces["a"]))
    for _ in range(2):
        assert client.post(url_for(world.officer), post_data(world)).status_code == 302
    assert CompetencyRecord.objects.count() == 1


def test_the_service_refuses_staff_outside_the_recorders_scope(world, provinces, hr_officer_of):
    with pytest.raises(PermissionDenied):
        competency_record_assess(
            staff=world.officer,
            competency=world.competency,
            level=world.level,
            note="Ghi chú.",
            recorded_by=hr_officer_of(provinces["b"]),
            assessed_on=timezone.localdate() - timedelta(days=1),
        )


def test_the_evidence_file_is_downloaded_only_inside_the_scope(
    client, world, provinces, hr_officer_of
):
    record = competency_record_assess(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        note="Ghi chú.",
        evidence_file=SimpleUploadedFile("x.pdf", PDF),
        recorded_by=hr_officer_of(provinces["a"]),
        assessed_on=date(2026, 1, 10),
    )
    url = reverse("competencies_admin:evidence_download", args=[record.pk])
    client.force_login(hr_officer_of(provinces["a"]))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client.force_login(hr_officer_of(provinces["b"]))
    assert client.get(url).status_code == 404


def test_recording_an_assessment_needs_the_add_competencyrecord_permission(
    client, world, provinces
):
    from django.contrib.auth.models import Permission

    from staff.roles import Role
    from staff.services import hr_assignment_grant, roles_sync, user_role_grant

    roles_sync()
    hr = UserFactory()
    user_role_grant(user=hr, role=Role.HR_OFFICER)
    hr_assignment_grant(user=hr, org_unit=provinces["a"])
    # HR officers hold the permission by role; a group without it is refused
    hr.groups.first().permissions.remove(
        Permission.objects.get(
            content_type__app_label="competencies", codename="add_competencyrecord"
        )
    )
    client.force_login(hr)
    assert_denied(client.get(url_for(world.officer)))
    assert_denied(client.post(url_for(world.officer), post_data(world)))
    assert not CompetencyRecord.objects.exists()
