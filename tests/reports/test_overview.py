"""Issue 12, first part: stored standings kept current after commit, the compliance overview
of an HR officer's scope with drill-down to the people, and its exports; scope and bad input."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from competencies.models import CompetencyRecord
from competencies.services import competency_record_create
from reports.models import Standing
from reports.selectors import Filters, compliance_overview, people_list
from reports.standings import standings_rebuild, standings_refresh
from staff.services import roles_sync
from tests.competencies.factories import (
    CompetencyFactory,
    DomainFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.staff.factories import (
    OrgUnitFactory,
    PositionFactory,
    StaffRecordFactory,
    UserFactory,
    hr_officer_of,
)

pytestmark = pytest.mark.django_db


def downloaded(response) -> bytes:
    """The body of a download, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


OVERVIEW = "/admin/reports/competency/"
PEOPLE = "/admin/reports/competency/people/"


class Tree:
    """Ministry → two provinces → two communes each; one position requiring two competencies
    (two domains); officers with every standing."""

    def __init__(self):
        roles_sync()
        today = timezone.localdate()
        self.today = today
        self.ministry = OrgUnitFactory(code="BO", name="Bộ", kind="ministry")
        self.hanoi = OrgUnitFactory(code="01", name="Hà Nội", parent=self.ministry)
        self.caobang = OrgUnitFactory(code="04", name="Cao Bằng", parent=self.ministry)
        self.ba_dinh = OrgUnitFactory(code="01-BD", name="Ba Đình", kind="ward", parent=self.hanoi)
        self.soc_son = OrgUnitFactory(
            code="01-SS", name="Sóc Sơn", kind="commune", parent=self.hanoi
        )
        self.thong_nong = OrgUnitFactory(
            code="04-TN", name="Thông Nông", kind="commune", parent=self.caobang
        )
        self.position = PositionFactory(code="XA-KHCN")
        self.level = ProficiencyLevelFactory(rank=2)
        self.met_domain = DomainFactory(code="MET")
        self.rad_domain = DomainFactory(code="RAD")
        self.met = CompetencyFactory(code="MET-01", domain=self.met_domain)
        self.rad = CompetencyFactory(code="RAD-01", domain=self.rad_domain)
        framework = FrameworkFactory()
        for competency in (self.met, self.rad):
            RequirementFactory(
                framework=framework,
                position=self.position,
                competency=competency,
                min_level=self.level,
            )
        # Ba Đình: one meets both, one meets MET only; Sóc Sơn: one meets none;
        # Thông Nông (Cao Bằng): one meets both; one inactive officer is never counted
        self.both = self.officer(self.ba_dinh, "Nguyễn Văn An", [self.met, self.rad])
        self.half = self.officer(self.ba_dinh, "Trần Thị Bình", [self.met])
        self.none = self.officer(self.soc_son, "Lê Văn Cường", [])
        self.expired = self.officer(self.soc_son, "Phạm Thị Dung", [self.met], days=-1)
        self.far = self.officer(self.thong_nong, "Hoàng Văn Em", [self.met, self.rad])
        self.gone = self.officer(self.soc_son, "Vũ Văn Giang", [self.met, self.rad])
        self.gone.active = False
        self.gone.save()
        standings_rebuild()

    def officer(self, unit, name, competencies, *, days=400):
        staff = StaffRecordFactory(org_unit=unit, position=self.position, full_name=name)
        for competency in competencies:
            CompetencyRecord.objects.create(
                staff=staff,
                competency=competency,
                level=self.level,
                source=CompetencyRecord.Source.MANUAL,
                evidence_ref=f"manual:{competency.code}",
                assessed_on=self.today - timedelta(days=30),
                valid_until=self.today + timedelta(days=days),
            )
        return staff


@pytest.fixture
def tree():
    return Tree()


def counts(compliance):
    return (compliance.staff, compliance.all_met, compliance.part_met, compliance.none_met)


def test_the_nation_by_province(tree):
    overview = compliance_overview(scope=tree.ministry)
    assert counts(overview.total) == (5, 2, 1, 2)
    by_unit = {c.unit.code: counts(c) for c in overview.children}
    assert by_unit == {"01": (4, 1, 1, 2), "04": (1, 1, 0, 0)}


def test_a_province_by_commune_and_a_domain_filter(tree):
    overview = compliance_overview(scope=tree.hanoi)
    assert {c.unit.code: counts(c) for c in overview.children} == {
        "01-BD": (2, 1, 1, 0),
        "01-SS": (2, 0, 0, 2),
    }
    radiation = compliance_overview(scope=tree.hanoi, filters=Filters(domain_id=tree.rad_domain.pk))
    # on radiation safety alone, Ba Đình has one officer who meets it and one who does not
    assert {c.unit.code: counts(c) for c in radiation.children} == {
        "01-BD": (2, 1, 0, 1),
        "01-SS": (2, 0, 0, 2),
    }


def test_expiry_is_decided_on_the_day_the_report_is_read(tree):
    yesterday = tree.today - timedelta(days=2)
    overview = compliance_overview(scope=tree.soc_son, today=yesterday)
    # the day before it expired, the MET record still counted: part met
    assert counts(overview.total) == (2, 0, 1, 1)


def test_the_overview_takes_two_queries_whatever_the_size(tree, django_assert_num_queries):
    for n in range(5):
        tree.officer(tree.thong_nong, f"Cán bộ {n}", [tree.met])
    standings_rebuild()
    with django_assert_num_queries(2):
        compliance_overview(scope=tree.ministry)


def test_people_list_of_a_commune_with_an_outcome_filter(tree):
    people = people_list(scope=tree.hanoi)
    assert [p.full_name for p in people] == [
        "Lê Văn Cường",
        "Nguyễn Văn An",
        "Phạm Thị Dung",
        "Trần Thị Bình",
    ]
    assert [p.full_name for p in people_list(scope=tree.hanoi, outcome="none")] == [
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    (an,) = [p for p in people if p.full_name == "Nguyễn Văn An"]
    assert (an.required, an.met, an.next_expiry) == (2, 2, tree.today + timedelta(days=400))


# --- kept current after commit ------------------------------------------------------------------


def test_a_new_record_refreshes_the_standing_after_commit(tree, django_capture_on_commit_callbacks):
    before = Standing.objects.get(staff=tree.half, competency=tree.rad)
    assert before.sufficient_until is None
    with django_capture_on_commit_callbacks(execute=True):
        competency_record_create(
            staff=tree.half,
            competency=tree.rad,
            level=tree.level,
            source=CompetencyRecord.Source.MANUAL,
            evidence_ref="manual:test",
        )
    after = Standing.objects.get(staff=tree.half, competency=tree.rad)
    assert after.sufficient_until is not None and after.level_rank == 2


def test_a_refresh_drops_an_inactive_officer_and_moves_a_transferred_one(tree):
    tree.both.org_unit = tree.thong_nong
    tree.both.save()
    tree.half.active = False
    tree.half.save()
    standings_refresh(staff_ids=[tree.both.pk, tree.half.pk])
    assert not Standing.objects.filter(staff=tree.half).exists()
    assert set(Standing.objects.filter(staff=tree.both).values_list("unit_path", flat=True)) == {
        tree.thong_nong.path
    }


def test_the_refresh_query_count_does_not_grow_with_the_staff(tree, django_assert_max_num_queries):
    ids = [tree.officer(tree.thong_nong, f"Cán bộ {n}", [tree.met]).pk for n in range(20)]
    with django_assert_max_num_queries(12):
        standings_refresh(staff_ids=ids)


# --- the screens ---------------------------------------------------------------------------------


def test_hr_of_a_province_sees_her_province_and_drills_down_to_a_person(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(OVERVIEW).content.decode()
    assert 'data-staff="4"' in html and 'data-all="1"' in html and 'data-none="2"' in html
    assert "Ba Đình" in html and "Sóc Sơn" in html
    assert "Cao Bằng" not in html and "Thông Nông" not in html
    assert "<svg" in html and 'role="img"' in html
    # drill into Ba Đình, then to its people, then to a person's record
    html = client.get(OVERVIEW, {"unit": tree.ba_dinh.pk}).content.decode()
    assert 'data-staff="2"' in html
    html = client.get(PEOPLE, {"unit": tree.ba_dinh.pk}).content.decode()
    assert reverse("staffrecord:inspect", args=[tree.both.pk]) in html
    assert "Lê Văn Cường" not in html


def test_a_unit_outside_the_scope_is_a_404_and_the_nation_is_not_offered(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    assert client.get(OVERVIEW, {"unit": tree.caobang.pk}).status_code == 404
    assert client.get(PEOPLE, {"unit": tree.thong_nong.pk}).status_code == 404
    assert client.get(OVERVIEW, {"unit": tree.ministry.pk}).status_code == 404
    assert client.get(OVERVIEW, {"unit": 999999}).status_code == 404


def test_every_figure_of_hr_b_counts_only_her_subtree(client, tree):
    client.force_login(hr_officer_of(tree.caobang))
    html = client.get(OVERVIEW).content.decode()
    assert 'data-staff="1"' in html and 'data-all="1"' in html
    body = downloaded(client.get(PEOPLE, {"export": "csv"})).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert names == ["Hoàng Văn Em"]


def test_bad_filters_are_an_error_on_the_page_not_a_500(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(OVERVIEW, {"position": "abc", "domain": "99999", "unit": "x"})
    assert response.status_code == 200
    assert "help-critical" in response.content.decode()
    assert 'data-staff="4"' in response.content.decode()


def test_someone_without_the_report_permission_is_refused(client, tree):
    client.force_login(UserFactory())
    response = client.get(OVERVIEW)
    assert response.status_code in (302, 403)
    assert "data-staff" not in response.content.decode()


def test_the_xlsx_export_has_the_screen_s_people(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(PEOPLE, {"outcome": "none", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and sheet.freeze_panes == "A2"
    assert [r[0] for r in rows[1:]] == ["Lê Văn Cường", "Phạm Thị Dung"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, tree):
    tree.officer(tree.ba_dinh, '=HYPERLINK("http://x")', [])
    standings_rebuild()
    client.force_login(hr_officer_of(tree.hanoi))
    body = downloaded(client.get(PEOPLE, {"export": "csv"})).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_overview_page_query_count_is_constant(client, tree, django_assert_max_num_queries):
    client.force_login(hr_officer_of(tree.hanoi))
    client.get(OVERVIEW)
    with django_assert_max_num_queries(24) as first:
        client.get(OVERVIEW)
    for n in range(6):
        unit = OrgUnitFactory(code=f"01-X{n}", name=f"Xã {n}", kind="commune", parent=tree.hanoi)
        tree.officer(unit, f"Cán bộ {n}", [tree.met])
    standings_rebuild()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(OVERVIEW)


def test_the_admin_home_of_hr_shows_her_scope_s_overview(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-overview-panel data-staff="4" data-all="1"' in html
    assert "Hà Nội: 1/4 cán bộ (25%) đáp ứng mọi yêu cầu" in html
    assert reverse("reports_overview") in html


def test_the_nightly_rebuild_is_scheduled_and_registered(settings):
    from celery import current_app

    name = "reports.tasks.standings_rebuild_task"
    assert name in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    current_app.loader.import_default_modules()
    assert name in current_app.tasks


def test_the_overview_prints_as_a_pdf_with_the_screen_s_figures(client, tree):
    from pypdf import PdfReader

    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(OVERVIEW, {"export": "pdf", "domain": tree.rad_domain.pk})
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hà Nội" in text and "Ba Đình" in text and "Sóc Sơn" in text
    assert "Cao Bằng" not in text
    assert "Người lập" in text  # the signature block


def test_a_new_unit_never_shifts_the_paths_the_standings_hold(tree):
    """A commune whose code sorts first is added after the others: no sibling path moves, so
    the stored standings still name the right units."""
    paths = dict(type(tree.ba_dinh).objects.filter(depth=3).values_list("code", "path"))
    from staff.services import org_unit_upsert

    org_unit_upsert(code="01-AA", name="Xã An Khánh", kind="commune", parent=tree.hanoi)
    assert (
        dict(type(tree.ba_dinh).objects.filter(code__in=paths).values_list("code", "path")) == paths
    )
    by_unit = {c.unit.code: counts(c) for c in compliance_overview(scope=tree.hanoi).children}
    assert by_unit == {"01-BD": (2, 1, 1, 0), "01-SS": (2, 0, 0, 2)}


def test_the_overview_s_table_downloads_with_the_screen_s_figures(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    response = client.get(OVERVIEW, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(downloaded(response))).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Đơn vị", "Số cán bộ")
    assert rows[1:] == [
        ("Ba Đình", 2, 1, 1, 0, 50),
        ("Sóc Sơn", 2, 0, 0, 2, 0),
        ("Tổng: Hà Nội", 4, 1, 1, 2, 25),
    ]
    body = downloaded(client.get(OVERVIEW, {"export": "csv"})).decode("utf-8-sig")
    assert body.splitlines()[-1] == "Tổng: Hà Nội,4,1,1,2,25"


def test_exports_stream_instead_of_holding_the_file(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    for url in (PEOPLE, OVERVIEW):
        for kind in ("csv", "xlsx"):
            response = client.get(url, {"export": kind})
            assert response.streaming, (url, kind)
            assert downloaded(response)
