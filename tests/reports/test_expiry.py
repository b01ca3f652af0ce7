"""Issue 12, "what expires": who falls out of compliance within 30, 60 or 90 days with what
closes the gap and whether it is assigned, the certificates expiring in that window and the
overdue assigned courses; scope, bad input, exports and query counts."""

import csv
import io
import re
from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.models import Enrolment
from reports.expiry import (
    expiring_certificate_list,
    expiring_standing_list,
    overdue_enrolment_list,
)
from reports.selectors import Filters
from reports.standings import standings_rebuild
from tests.assessments.factories import BlueprintCellFactory, ExamFactory
from tests.certificates.factories import CertificateTemplateFactory
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home, teach
from tests.reports.test_overview import Tree, downloaded
from tests.staff.factories import UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db

EXPIRING = "/admin/reports/competency/expiring/"


class ExpiryTree(Tree):
    """The overview's tree, plus records running out in 10, 30, 31, 45 and 80 days, a course
    and an exam for metrology, certificates and enrolments."""

    def __init__(self):
        super().__init__()
        self.soon = self.officer(self.ba_dinh, "Đỗ Thị Mai", [self.met], days=10)
        self.edge = self.officer(self.ba_dinh, "Bùi Văn Nam", [self.met], days=30)
        self.past_edge = self.officer(self.ba_dinh, "Ngô Thị Oanh", [self.met], days=31)
        self.mid = self.officer(self.soc_son, "Đinh Văn Phúc", [self.met, self.rad], days=45)
        self.late = self.officer(self.thong_nong, "Hà Thị Quyên", [self.rad], days=80)
        standings_rebuild()
        index = CourseIndexPageFactory(parent=site_home())
        self.met_course = CoursePageFactory(
            parent=index, title="Đo lường cơ bản", slug="do-luong", domain=self.met_domain
        )
        teach(self.met_course, self.met, self.level)
        self.rad_course = CoursePageFactory(
            parent=index, title="An toàn bức xạ", slug="buc-xa", domain=self.rad_domain
        )
        teach(self.rad_course, self.rad, self.level)
        self.met_exam = ExamFactory(title="Thi Đo lường", awarded_level=self.level)
        BlueprintCellFactory(exam=self.met_exam, competency=self.met)
        # the one expiring soonest is already re-enrolled in the course, due in 20 days
        self.enrolment = Enrolment.objects.create(
            staff=self.soon,
            course=self.met_course,
            source=Enrolment.Source.ASSIGNED,
            due_date=self.today + timedelta(days=20),
        )
        self.template = CertificateTemplateFactory()

    def certificate(self, staff, days, *, basis=None, codes=("MET-01",)):
        return certificate_issue(
            staff=staff,
            template=self.template,
            basis=basis or f"test:{staff.pk}:{days}",
            competencies=[{"code": c, "title": c, "level": "2"} for c in codes],
            valid_until=self.today + timedelta(days=days),
            render=False,
        )


@pytest.fixture
def tree():
    return ExpiryTree()


def expiring(rows):
    return [(r.staff.full_name, r.competency.code, r.days_left) for r in rows]


def test_the_day_is_vietnam_s_not_utc_s(tree):
    """At 23:30 UTC it is already 06:30 the next morning in Vietnam: the window is counted from
    Vietnam's date."""
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    last_day = tree.today + timedelta(days=10)  # Đỗ Thị Mai's record is valid until then
    evening = datetime.combine(last_day - timedelta(days=1), time(23, 30), tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=evening):
        rows = expiring_standing_list(scope=tree.ba_dinh, within_days=30)
    assert ("Đỗ Thị Mai", "MET-01", 0) in expiring(rows)
    with mock.patch("django.utils.timezone.now", return_value=evening + timedelta(days=1)):
        rows = expiring_standing_list(scope=tree.ba_dinh, within_days=30)
    assert "Đỗ Thị Mai" not in {r.staff.full_name for r in rows}


def test_the_30_60_90_day_windows_soonest_first(tree):
    assert expiring(expiring_standing_list(scope=tree.ministry, within_days=30)) == [
        ("Đỗ Thị Mai", "MET-01", 10),
        ("Bùi Văn Nam", "MET-01", 30),
    ]
    assert expiring(expiring_standing_list(scope=tree.ministry, within_days=60)) == [
        ("Đỗ Thị Mai", "MET-01", 10),
        ("Bùi Văn Nam", "MET-01", 30),
        ("Ngô Thị Oanh", "MET-01", 31),
        ("Đinh Văn Phúc", "MET-01", 45),
        ("Đinh Văn Phúc", "RAD-01", 45),
    ]
    ninety = expiring(expiring_standing_list(scope=tree.ministry, within_days=90))
    assert ninety[-1] == ("Hà Thị Quyên", "RAD-01", 80) and len(ninety) == 6


def test_the_last_day_of_the_window_is_in_and_the_next_is_out(tree):
    names = {r.staff.full_name for r in expiring_standing_list(scope=tree.ba_dinh, within_days=30)}
    assert "Bùi Văn Nam" in names  # valid until today + 30
    assert "Ngô Thị Oanh" not in names  # valid until today + 31


def test_a_record_valid_until_today_is_listed_and_one_expired_yesterday_is_not(tree):
    on_the_last_day = tree.today + timedelta(days=10)
    rows = expiring_standing_list(scope=tree.ba_dinh, within_days=30, today=on_the_last_day)
    assert ("Đỗ Thị Mai", "MET-01", 0) in expiring(rows)
    # the tree's Phạm Thị Dung holds MET-01 until yesterday: expired, not expiring
    rows = expiring_standing_list(scope=tree.soc_son, within_days=90)
    assert "Phạm Thị Dung" not in {r.staff.full_name for r in rows}


def test_the_filters_narrow_the_list(tree):
    radiation = Filters(domain_id=tree.rad_domain.pk)
    rows = expiring_standing_list(scope=tree.ministry, within_days=90, filters=radiation)
    assert expiring(rows) == [("Đinh Văn Phúc", "RAD-01", 45), ("Hà Thị Quyên", "RAD-01", 80)]
    other = Filters(position_id=tree.position.pk + 1000)
    assert expiring_standing_list(scope=tree.ministry, within_days=90, filters=other) == []


def test_each_row_names_what_closes_the_gap_and_whether_it_is_assigned(tree):
    rows = {
        (r.staff.pk, r.competency.code): r
        for r in expiring_standing_list(scope=tree.ministry, within_days=90)
    }
    soon = rows[(tree.soon.pk, "MET-01")]
    assert soon.courses == [tree.met_course] and soon.exams == [tree.met_exam]
    assert soon.assigned and soon.enrolment.due_date == tree.today + timedelta(days=20)
    edge = rows[(tree.edge.pk, "MET-01")]
    assert edge.courses == [tree.met_course] and not edge.assigned
    rad = rows[(tree.mid.pk, "RAD-01")]
    assert rad.courses == [tree.rad_course] and rad.exams == [] and not rad.assigned


def test_a_completed_course_or_one_teaching_something_else_is_not_an_assignment(tree):
    tree.enrolment.completed_at = timezone.now()
    tree.enrolment.save()
    Enrolment.objects.create(
        staff=tree.edge, course=tree.rad_course, source=Enrolment.Source.ASSIGNED
    )
    rows = {
        r.staff.pk: r
        for r in expiring_standing_list(scope=tree.ba_dinh, within_days=30)
        if r.competency.code == "MET-01"
    }
    assert not rows[tree.soon.pk].assigned
    assert not rows[tree.edge.pk].assigned


def test_the_list_takes_five_queries_whatever_its_length(tree, django_assert_num_queries):
    with django_assert_num_queries(5):
        small = expiring_standing_list(scope=tree.ministry, within_days=90)
    for n in range(8):
        staff = tree.officer(tree.thong_nong, f"Cán bộ {n}", [tree.met, tree.rad], days=5 + n)
        Enrolment.objects.create(
            staff=staff, course=tree.met_course, source=Enrolment.Source.ASSIGNED
        )
    standings_rebuild()
    with django_assert_num_queries(5):
        large = expiring_standing_list(scope=tree.ministry, within_days=90)
    assert len(large) == len(small) + 16
    assert sum(r.assigned for r in large) == 1 + 8


# --- certificates and overdue courses -------------------------------------------------------------


def test_certificates_expiring_in_the_window_of_the_report_s_unit(tree):
    hr = hr_officer_of(tree.hanoi)
    soon = tree.certificate(tree.soon, 10)
    edge = tree.certificate(tree.edge, 30)
    tree.certificate(tree.past_edge, 31)
    tree.certificate(tree.mid, 45)
    tree.certificate(tree.late, 20)  # Cao Bằng: outside her scope
    revoked = tree.certificate(tree.both, 5)
    revoked.status = Certificate.Status.REVOKED
    revoked.save()
    found = expiring_certificate_list(user=hr, scope=tree.hanoi, within_days=30)
    assert [(c.pk, c.days_left) for c in found] == [(soon.pk, 10), (edge.pk, 30)]
    # bounded by the report's unit, not only by the reader's scope
    assert [c.pk for c in expiring_certificate_list(user=hr, scope=tree.soc_son, within_days=60)]
    assert expiring_certificate_list(user=hr, scope=tree.soc_son, within_days=30) == []
    # a reader of the nation still reads only the unit she asked for
    admin = UserFactory(is_superuser=True)
    found = expiring_certificate_list(user=admin, scope=tree.caobang, within_days=30)
    assert [c.staff_id for c in found] == [tree.late.pk]


def test_a_certificate_already_renewed_is_not_listed_and_the_domain_filter_applies(tree):
    hr = hr_officer_of(tree.hanoi)
    tree.certificate(tree.soon, 10, basis="old")
    tree.certificate(tree.soon, 400, basis="new")  # renewed: nothing falls out
    edge = tree.certificate(tree.edge, 30, codes=("RAD-01",))
    assert [c.pk for c in expiring_certificate_list(user=hr, scope=tree.hanoi, within_days=30)] == [
        edge.pk
    ]
    metrology = Filters(domain_id=tree.met_domain.pk)
    assert (
        expiring_certificate_list(user=hr, scope=tree.hanoi, within_days=30, filters=metrology)
        == []
    )


def test_overdue_assigned_courses_of_active_staff_longest_overdue_first(tree):
    def enrol(staff, course, days, **extra):
        return Enrolment.objects.create(
            staff=staff,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_date=tree.today + timedelta(days=days),
            **extra,
        )

    a_week = enrol(tree.half, tree.met_course, -7)
    yesterday = enrol(tree.none, tree.rad_course, -1)
    enrol(tree.edge, tree.met_course, 0)  # due today: not overdue yet
    enrol(tree.both, tree.met_course, -3, completed_at=timezone.now())  # done
    enrol(tree.gone, tree.met_course, -9)  # no longer in service
    enrol(tree.far, tree.met_course, -2)  # Cao Bằng
    rows = overdue_enrolment_list(scope=tree.hanoi)
    assert [(r.enrolment.pk, r.days_overdue) for r in rows] == [(a_week.pk, 7), (yesterday.pk, 1)]
    radiation = overdue_enrolment_list(
        scope=tree.hanoi, filters=Filters(domain_id=tree.rad_domain.pk)
    )
    assert [r.enrolment.pk for r in radiation] == [yesterday.pk]
    assert [r.staff.pk for r in overdue_enrolment_list(scope=tree.caobang)] == [tree.far.pk]


# --- the screen -----------------------------------------------------------------------------------


def rows_of(html: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]*)"', html)


def test_hr_reads_her_province_s_window_with_links_and_the_assigned_flag(client, tree):
    tree.certificate(tree.soon, 10)
    tree.enrolment.due_date = tree.today - timedelta(days=2)  # the assignment is overdue too
    tree.enrolment.save()
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(EXPIRING)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_of(html, "data-expiring") == [
        f"{tree.soon.personnel_number}:MET-01",
        f"{tree.edge.personnel_number}:MET-01",
    ]
    assert rows_of(html, "data-assigned") == ["yes", "no"]
    assert reverse("staffrecord:inspect", args=[tree.soon.pk]) in html
    assert "Đo lường cơ bản" in html and "Thi Đo lường" in html
    # HR may assign: the course form is prefilled for the one not yet assigned
    assert f"course={tree.met_course.pk}&amp;personnel_numbers={tree.edge.personnel_number}" in html
    assert f"personnel_numbers={tree.soon.personnel_number}" not in html
    assert rows_of(html, "data-certificate") and rows_of(html, "data-overdue") == [
        tree.soon.personnel_number
    ]
    assert "Có, hạn " in html and "(quá hạn)" in html  # assigned, but already overdue
    assert "Hồ sơ năng lực" in html and "Khóa học được giao đã quá hạn" in html


def test_the_window_is_read_from_the_url(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(EXPIRING, {"within": "60"}).content.decode()
    assert 'data-window="60"' in html
    assert len(rows_of(html, "data-expiring")) == 5
    assert '<option value="60" selected>' in html
    # a unit further down keeps the window, and its links carry it
    html = client.get(EXPIRING, {"within": "60", "unit": tree.soc_son.pk}).content.decode()
    assert rows_of(html, "data-expiring") == [
        f"{tree.mid.personnel_number}:MET-01",
        f"{tree.mid.personnel_number}:RAD-01",
    ]
    # the trail back up to Hà Nội keeps the window
    assert f"within=60&amp;unit={tree.hanoi.pk}" in html


@pytest.mark.parametrize("within", ["abc", "7", "-30", "9999999999999999999"])
def test_a_bad_window_is_an_error_on_the_form_not_a_500(client, tree, within):
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(EXPIRING, {"within": within})
    assert response.status_code == 200
    html = response.content.decode()
    assert "help-critical" in html
    assert 'data-window="30"' in html and len(rows_of(html, "data-expiring")) == 2


def test_hr_of_cao_bang_sees_nothing_of_ha_noi_export_included(client, tree):
    tree.certificate(tree.soon, 10)
    Enrolment.objects.create(
        staff=tree.none,
        course=tree.met_course,
        source=Enrolment.Source.ASSIGNED,
        due_date=tree.today - timedelta(days=3),
    )
    client.force_login(hr_officer_of(tree.caobang))
    html = client.get(EXPIRING, {"within": "90"}).content.decode()
    assert rows_of(html, "data-expiring") == [f"{tree.late.personnel_number}:RAD-01"]
    assert rows_of(html, "data-certificate") == [] and rows_of(html, "data-overdue") == []
    for name in ("Hà Nội", "Ba Đình", "Sóc Sơn", "Đỗ Thị Mai", "Lê Văn Cường"):
        assert name not in html
    assert client.get(EXPIRING, {"unit": tree.hanoi.pk}).status_code == 404
    assert client.get(EXPIRING, {"unit": tree.ba_dinh.pk, "export": "csv"}).status_code == 404
    body = downloaded(client.get(EXPIRING, {"within": "90", "export": "csv"})).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert names == ["Hà Thị Quyên"]


def test_someone_without_the_report_permission_is_refused(client, tree):
    client.force_login(UserFactory())
    response = client.get(EXPIRING)
    assert response.status_code in (302, 403)
    assert "data-expiring" not in response.content.decode()


def test_the_csv_export_has_the_screen_s_rows(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(EXPIRING, {"within": "30", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "het-han-01-30.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(downloaded(response).decode("utf-8-sig"))))
    assert rows[0][0] == "Họ và tên" and rows[0][4] == "Mã năng lực"
    soon = rows[1]
    assert soon[0] == "Đỗ Thị Mai" and soon[4] == "MET-01"
    assert soon[6] == (tree.today + timedelta(days=10)).strftime("%d/%m/%Y") and soon[7] == "10"
    assert soon[8] == "Đo lường cơ bản" and soon[9] == "Thi Đo lường"
    assert soon[10] == "Có" and soon[11] == (tree.today + timedelta(days=20)).strftime("%d/%m/%Y")
    assert rows[2][0] == "Bùi Văn Nam" and rows[2][10] == "Không" and rows[2][11] == ""


def test_the_xlsx_export_keeps_dates_as_dates_and_escapes_formulas(client, tree):
    tree.officer(tree.ba_dinh, '=HYPERLINK("http://x")', [tree.met], days=3)
    standings_rebuild()
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(EXPIRING, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and sheet.freeze_panes == "A2"
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    valid_until = rows[1][6]
    assert valid_until.date() == tree.today + timedelta(days=3)
    assert rows[1][7] == 3
    body = downloaded(client.get(EXPIRING, {"export": "csv"})).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_page_query_count_is_constant(client, tree, django_assert_max_num_queries):
    tree.certificate(tree.soon, 10)
    client.force_login(hr_officer_of(tree.hanoi))
    client.get(EXPIRING, {"within": "90"})
    with django_assert_max_num_queries(40) as first:
        client.get(EXPIRING, {"within": "90"})
    for n in range(6):
        staff = tree.officer(tree.ba_dinh, f"Cán bộ {n}", [tree.met, tree.rad], days=5 + n)
        tree.certificate(staff, 7 + n)
        Enrolment.objects.create(
            staff=staff,
            course=tree.rad_course,
            source=Enrolment.Source.ASSIGNED,
            due_date=tree.today - timedelta(days=n + 1),
        )
    standings_rebuild()
    with django_assert_max_num_queries(len(first.captured_queries)) as second:
        html = client.get(EXPIRING, {"within": "90"}).content.decode()
    assert len(rows_of(html, "data-expiring")) >= 12
    assert len(rows_of(html, "data-overdue")) == 6
    assert len(second.captured_queries) == len(first.captured_queries)


def test_the_report_is_in_the_reports_menu(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("reports_expiring") == EXPIRING
    assert EXPIRING in html
