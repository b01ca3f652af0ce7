"""Issue 12, coverage and by-competency reports: which communes can handle a case of each domain
today (an officer meeting every requirement of it), and how the officers stand on each
competency, per unit; figures counted by hand, scope, bad input, constant query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from competencies.models import Framework
from reports.coverage import StatusCounts, by_competency_report, coverage_report
from reports.selectors import Filters
from reports.standings import standings_rebuild
from tests.competencies.factories import CompetencyFactory, RequirementFactory
from tests.reports.test_overview import Tree, downloaded
from tests.staff.factories import OrgUnitFactory, PositionFactory, hr_officer_of

pytestmark = pytest.mark.django_db

COVERAGE = "/admin/reports/competency/coverage/"
BY_COMPETENCY = "/admin/reports/competency/by-competency/"


class Wider(Tree):
    """The overview's tree, plus in Hà Nội: a commune with no staff (Phú Xuyên), one whose only
    officer meets one of two metrology requirements (Mê Linh), a ward whose only officer meets
    both, one of them expiring soon (Tây Hồ), and a closed commune; in Cao Bằng a commune with
    no staff (Bảo Lạc). The second position requires MET-01 and MET-02, no radiation safety."""

    def __init__(self):
        super().__init__()
        framework = Framework.objects.get(status=Framework.Status.PUBLISHED)
        self.met2 = CompetencyFactory(code="MET-02", domain=self.met_domain)
        self.position2 = PositionFactory(code="XA-DLCL")
        for competency in (self.met, self.met2):
            RequirementFactory(
                framework=framework,
                position=self.position2,
                competency=competency,
                min_level=self.level,
            )
        unit = OrgUnitFactory
        self.phu_xuyen = unit(code="01-PX", name="Phú Xuyên", kind="commune", parent=self.hanoi)
        self.me_linh = unit(code="01-ML", name="Mê Linh", kind="commune", parent=self.hanoi)
        self.tay_ho = unit(code="01-TH", name="Tây Hồ", kind="ward", parent=self.hanoi)
        self.closed = unit(
            code="01-CU",
            name="Xã Cũ",
            kind="commune",
            parent=self.hanoi,
            valid_to=self.today - timedelta(days=10),
        )
        self.bao_lac = unit(code="04-BL", name="Bảo Lạc", kind="commune", parent=self.caobang)
        self.partial = self.officer(self.me_linh, "Đỗ Văn Hải", [self.met], position=self.position2)
        self.expiring = self.officer(
            self.tay_ho, "Ngô Thị Lan", [self.met], position=self.position2
        )
        self.record(self.expiring, self.met2, days=10)
        # a unit added in code order moves the paths of the siblings after it (treebeard)
        for unit in (self.hanoi, self.caobang, self.ba_dinh, self.soc_son, self.thong_nong):
            unit.refresh_from_db()
        for unit in (self.phu_xuyen, self.me_linh, self.tay_ho, self.closed, self.bao_lac):
            unit.refresh_from_db()
        standings_rebuild()

    def officer(self, unit, name, competencies, *, days=400, position=None):
        staff = super().officer(unit, name, [], days=days)
        if position is not None:
            staff.position = position
            staff.save()
        for competency in competencies:
            self.record(staff, competency, days=days)
        return staff

    def record(self, staff, competency, *, days):
        from competencies.models import CompetencyRecord

        CompetencyRecord.objects.create(
            staff=staff,
            competency=competency,
            level=self.level,
            source=CompetencyRecord.Source.MANUAL,
            evidence_ref=f"manual:{competency.code}",
            assessed_on=self.today - timedelta(days=30),
            valid_until=self.today + timedelta(days=days),
        )


@pytest.fixture
def tree():
    return Wider()


def grid(coverage):
    """{unit code: {domain code: (state, officers, covered)}}"""
    return {
        row.unit.code: {c.domain.code: (c.state, c.officers, c.covered) for c in row.cells}
        for row in coverage.rows
    }


# --- coverage: the figures ----------------------------------------------------------------------


def test_coverage_of_a_province_commune_by_domain(tree):
    coverage = coverage_report(scope=tree.hanoi)
    assert [d.code for d in coverage.domains] == ["MET", "RAD"]
    # the closed commune has no staff: not listed; the one with no staff at all is, uncovered
    assert [r.unit.code for r in coverage.rows] == ["01-BD", "01-ML", "01-PX", "01-SS", "01-TH"]
    assert grid(coverage) == {
        # both officers meet MET-01; only Nguyễn Văn An meets RAD-01
        "01-BD": {"MET": ("covered", 2, 2), "RAD": ("covered", 2, 1)},
        # the officer meets MET-01 but not MET-02: not every metrology requirement
        "01-ML": {"MET": ("none_meeting", 1, 0), "RAD": ("no_officer", 0, 0)},
        "01-PX": {"MET": ("no_officer", 0, 0), "RAD": ("no_officer", 0, 0)},
        # one officer with nothing, one whose MET-01 expired yesterday
        "01-SS": {"MET": ("none_meeting", 2, 0), "RAD": ("none_meeting", 2, 0)},
        # MET-02 expires in ten days: still valid today, so covered
        "01-TH": {"MET": ("covered", 1, 1), "RAD": ("no_officer", 0, 0)},
    }
    met, rad = coverage.per_domain
    assert (met.units, met.covered, met.no_officer, met.share) == (5, 2, 1, 40)
    assert [r.unit.code for r, _c in met.uncovered] == ["01-ML", "01-PX", "01-SS"]
    assert (rad.units, rad.covered, rad.no_officer, rad.share) == (5, 1, 3, 20)
    assert [r.unit.code for r, _c in rad.uncovered] == ["01-ML", "01-PX", "01-SS", "01-TH"]


def test_coverage_is_decided_on_the_day_it_is_read(tree):
    # two days ago Sóc Sơn's MET-01 had not expired yet
    coverage = coverage_report(scope=tree.soc_son, today=tree.today - timedelta(days=2))
    assert grid(coverage) == {"01-SS": {"MET": ("covered", 2, 1), "RAD": ("none_meeting", 2, 0)}}
    # in eleven days Tây Hồ's MET-02 will have expired
    later = coverage_report(scope=tree.tay_ho, today=tree.today + timedelta(days=11))
    assert grid(later) == {"01-TH": {"MET": ("none_meeting", 1, 0)}}


def test_coverage_filtered_by_position_and_by_domain(tree):
    by_position = coverage_report(scope=tree.hanoi, filters=Filters(position_id=tree.position2.pk))
    # the second position requires metrology only; Ba Đình's officers hold the first position
    assert [d.code for d in by_position.domains] == ["MET"]
    assert {code: cells["MET"][0] for code, cells in grid(by_position).items()} == {
        "01-BD": "no_officer",
        "01-ML": "none_meeting",
        "01-PX": "no_officer",
        "01-SS": "no_officer",
        "01-TH": "covered",
    }
    by_domain = coverage_report(scope=tree.hanoi, filters=Filters(domain_id=tree.rad_domain.pk))
    assert [d.code for d in by_domain.domains] == ["RAD"]
    assert by_domain.per_domain[0].covered == 1


def test_the_nation_names_each_commune_s_province_and_offers_the_provinces(tree):
    coverage = coverage_report(scope=tree.ministry)
    assert len(coverage.rows) == 7
    assert {r.unit.code: r.parent.code for r in coverage.rows}["04-TN"] == "04"
    # rows by province name, then commune name
    assert [r.unit.code for r in coverage.rows][:2] == ["04-BL", "04-TN"]
    assert [u.code for u in coverage.drill] == ["04", "01"]


def test_the_own_staff_of_a_province_are_rows_only_when_asked(tree):
    tree.officer(tree.hanoi, "Cán bộ Sở", [tree.met, tree.rad])
    standings_rebuild()
    assert "01" not in grid(coverage_report(scope=tree.hanoi))
    coverage = coverage_report(scope=tree.hanoi, own_staff=True)
    assert grid(coverage)["01"] == {"MET": ("covered", 1, 1), "RAD": ("covered", 1, 1)}
    assert coverage.rows[-1].own_staff and coverage.per_domain[0].units == 6


def test_coverage_takes_three_queries_whatever_the_size(tree, django_assert_num_queries):
    with django_assert_num_queries(3):
        coverage_report(scope=tree.ministry, own_staff=True)
    for n in range(8):
        unit = OrgUnitFactory(code=f"01-X{n}", name=f"Xã {n}", kind="commune", parent=tree.hanoi)
        tree.officer(unit, f"Cán bộ {n}", [tree.met, tree.rad])
        tree.officer(unit, f"Cán bộ phụ {n}", [tree.met])
    standings_rebuild()
    with django_assert_num_queries(3):
        coverage = coverage_report(scope=tree.ministry, own_staff=True)
    assert len(coverage.rows) == 15


# --- by competency: the figures -----------------------------------------------------------------


def test_by_competency_counts_each_status_and_the_share_per_unit(tree):
    report = by_competency_report(scope=tree.hanoi)
    totals = {
        row.competency.code: (row.total.met, row.total.expiring, row.total.expired, row.total.gap)
        for row in report.competencies
    }
    assert totals == {
        # met: An, Bình, Hải, Lan; expired: Dung; gap: Cường
        "MET-01": (4, 0, 1, 1),
        # Lan's expires in ten days; Hải has none
        "MET-02": (0, 1, 0, 1),
        # An meets it; Bình, Cường and Dung do not
        "RAD-01": (1, 0, 0, 3),
    }
    assert [r.total.share for r in report.competencies] == [67, 50, 25]
    heat = {
        row.unit.code: [(c.share, c.band) if c else None for c in row.cells] for row in report.units
    }
    # Phú Xuyên has no staff: no row; a unit whose officers do not require a competency: None
    assert heat == {
        "01-BD": [(100, 3), None, (50, 2)],
        "01-ML": [(100, 3), (0, 0), None],
        "01-SS": [(0, 0), None, (0, 0)],
        "01-TH": [(100, 3), (100, 3), None],
    }
    assert [r.unit.code for r in report.units] == ["01-BD", "01-ML", "01-SS", "01-TH"]


@pytest.mark.parametrize(
    ("meeting", "officers", "band"),
    [
        (0, 4, 0),
        (24, 100, 0),
        (1, 4, 1),
        (49, 100, 1),
        (1, 2, 2),
        (74, 100, 2),
        (3, 4, 3),
        (1, 1, 3),
    ],
)
def test_the_heat_map_bands_are_quarters_of_the_share(meeting, officers, band):
    assert StatusCounts(met=meeting, gap=officers - meeting).band == band


def test_by_competency_filters_and_the_scope_s_own_staff_first(tree):
    tree.officer(tree.hanoi, "Cán bộ Sở", [tree.rad])
    standings_rebuild()
    report = by_competency_report(scope=tree.hanoi, filters=Filters(domain_id=tree.rad_domain.pk))
    assert [r.competency.code for r in report.competencies] == ["RAD-01"]
    assert report.units[0].own_staff and report.units[0].unit == tree.hanoi
    assert report.units[0].cells[0].share == 100
    by_position = by_competency_report(
        scope=tree.hanoi, filters=Filters(position_id=tree.position2.pk)
    )
    assert [r.competency.code for r in by_position.competencies] == ["MET-01", "MET-02"]
    assert [r.unit.code for r in by_position.units] == ["01-ML", "01-TH"]


def test_by_competency_takes_three_queries_whatever_the_size(tree, django_assert_num_queries):
    with django_assert_num_queries(3):
        by_competency_report(scope=tree.ministry)
    for n in range(8):
        unit = OrgUnitFactory(code=f"04-X{n}", name=f"Xã {n}", kind="commune", parent=tree.caobang)
        tree.officer(unit, f"Cán bộ {n}", [tree.met])
    standings_rebuild()
    with django_assert_num_queries(3):
        report = by_competency_report(scope=tree.caobang)
    assert len(report.units) == 9


# --- the screens --------------------------------------------------------------------------------


def test_the_coverage_page_lists_the_uncovered_first_then_the_chart_and_the_table(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(COVERAGE).content.decode()
    uncovered = html.index("data-uncovered")
    assert uncovered < html.index('<svg class="report-chart"') < html.index("report-matrix")
    assert 'data-uncovered-domain="RAD"' in html
    assert '<li data-unit="01-PX" data-state="no_officer">' in html
    assert '<li data-unit="01-SS" data-state="none_meeting">' in html
    # the chart and its numbers
    assert 'role="img"' in html and 'aria-labelledby="coverage-title"' in html
    assert 'data-domain-row="MET" data-units="5" data-covered="2"' in html
    # readable without colour: symbols and words, headers with scope, a caption
    assert "✓" in html and "✗" in html and "không có cán bộ" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html and "<caption>" in html
    assert 'data-domain="RAD" data-state="covered" data-covered="1" data-officers="2"' in html
    assert "Cao Bằng" not in html and "Thông Nông" not in html and "Bảo Lạc" not in html


def test_the_coverage_export_lists_the_uncovered_units_of_the_scope_only(client, tree):
    client.force_login(hr_officer_of(tree.caobang))
    body = downloaded(client.get(COVERAGE, {"export": "csv"})).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["Lĩnh vực", "Đơn vị"]
    assert [(r[1], r[2]) for r in rows[1:]] == [("Bảo Lạc", "04-BL"), ("Bảo Lạc", "04-BL")]
    assert "Hà Nội" not in body and "Sóc Sơn" not in body
    response = client.get(COVERAGE, {"export": "xlsx", "domain": tree.rad_domain.pk})
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    values = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2"
    assert [v[1] for v in values[1:]] == ["Bảo Lạc"]


def test_hr_of_cao_bang_never_sees_ha_noi_in_either_report(client, tree):
    client.force_login(hr_officer_of(tree.caobang))
    for url in (COVERAGE, BY_COMPETENCY):
        html = client.get(url).content.decode()
        assert "Thông Nông" in html
        for name in ("Hà Nội", "Ba Đình", "Sóc Sơn", "Mê Linh", "Tây Hồ", "Phú Xuyên"):
            assert name not in html
        for unit in (tree.hanoi, tree.ba_dinh, tree.ministry):
            assert client.get(url, {"unit": unit.pk}).status_code == 404
    html = client.get(BY_COMPETENCY).content.decode()
    assert 'data-competency="MET-01" data-officers="1" data-met="1"' in html


def test_bad_filters_on_either_report_are_an_error_on_the_page_not_a_500(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    bad = {"position": "abc", "domain": "99999", "unit": "x", "own_staff": "?", "export": "pdf"}
    for url in (COVERAGE, BY_COMPETENCY):
        response = client.get(url, bad)
        assert response.status_code == 200
        assert "help-critical" in response.content.decode()
    assert 'data-domain-row="MET" data-units="5"' in client.get(COVERAGE, bad).content.decode()


def test_the_by_competency_page_has_the_counts_and_the_heat_map(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(BY_COMPETENCY).content.decode()
    assert (
        'data-competency="MET-01" data-officers="6" data-met="4" data-expiring="0" '
        'data-expired="1" data-gap="1"'
    ) in html
    assert 'class="heat heat-2" data-share="50" data-band="2"' in html
    assert "50&nbsp;%" in html and "từ 50 đến 74 %" in html and "◑" in html
    assert 'class="heat-empty"' in html
    assert f"?unit={tree.ba_dinh.pk}" in html
    assert "<caption>" in html and '<th scope="col"><abbr' in html


def test_the_reports_link_to_each_other(client, tree):
    client.force_login(hr_officer_of(tree.hanoi))
    overview = client.get("/admin/reports/competency/").content.decode()
    assert reverse("reports_coverage") in overview and reverse("reports_by_competency") in overview
    coverage = client.get(COVERAGE).content.decode()
    assert reverse("reports_overview") in coverage and reverse("reports_by_competency") in coverage
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("reports_coverage") in home and reverse("reports_by_competency") in home


@pytest.mark.parametrize("url", [COVERAGE, BY_COMPETENCY])
def test_the_page_query_count_is_constant(client, tree, url, django_assert_max_num_queries):
    client.force_login(hr_officer_of(tree.hanoi))
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url, {"own_staff": "on"})
    for n in range(8):
        unit = OrgUnitFactory(code=f"01-X{n}", name=f"Xã {n}", kind="commune", parent=tree.hanoi)
        tree.officer(unit, f"Cán bộ {n}", [tree.met, tree.rad])
        OrgUnitFactory(code=f"01-Y{n}", name=f"Xã trống {n}", kind="commune", parent=tree.hanoi)
    standings_rebuild()
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(url, {"own_staff": "on"}).content.decode()
    assert "Xã 7" in html
