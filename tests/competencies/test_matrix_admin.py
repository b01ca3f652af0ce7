"""The requirement matrix: one screen per (framework, position), saved all or nothing."""

import pytest
from django.urls import reverse

from competencies.models import Framework, Requirement
from tests.competencies.factories import (
    CompetencyFactory,
    DomainFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.competencies.support import assert_denied
from tests.staff.factories import OrgUnitFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(framework_admin, client):
    """A draft framework, a position, three competencies in two domains, two levels; the
    position already requires the first competency."""
    met, rad = DomainFactory(code="MET", name="Đo lường"), DomainFactory(code="RAD", name="Bức xạ")
    competencies = [
        CompetencyFactory(code="MET-01", domain=met),
        CompetencyFactory(code="MET-02", domain=met),
        CompetencyFactory(code="RAD-01", domain=rad),
    ]
    levels = [ProficiencyLevelFactory(rank=1), ProficiencyLevelFactory(rank=2)]
    framework = FrameworkFactory(status=Framework.Status.DRAFT)
    position = PositionFactory()
    RequirementFactory(
        framework=framework,
        position=position,
        competency=competencies[0],
        min_level=levels[0],
        validity_months=36,
    )
    client.force_login(framework_admin)
    return {
        "url": reverse("competencies_admin:matrix_edit", args=[framework.pk, position.pk]),
        "framework": framework,
        "position": position,
        "competencies": competencies,
        "levels": levels,
    }


def form_data(matrix, **overrides):
    """Every row as the screen posts it: the current values, with some changed."""
    data = {}
    current = {
        r.competency_id: r
        for r in Requirement.objects.filter(
            framework=matrix["framework"], position=matrix["position"]
        )
    }
    for competency in matrix["competencies"]:
        requirement = current.get(competency.pk)
        data[f"c{competency.pk}-min_level"] = requirement.min_level_id if requirement else ""
        data[f"c{competency.pk}-validity_months"] = (
            requirement.validity_months if requirement else 36
        )
    for key, value in overrides.items():
        code, field = key.split("__")
        competency = next(c for c in matrix["competencies"] if c.code == code.replace("_", "-"))
        data[f"c{competency.pk}-{field}"] = value
    return data


def saved(matrix):
    return {
        (r.competency.code, r.min_level.rank, r.validity_months)
        for r in Requirement.objects.filter(
            framework=matrix["framework"], position=matrix["position"]
        ).select_related("competency", "min_level")
    }


def test_the_matrix_shows_every_competency_grouped_by_domain(client, matrix):
    response = client.get(matrix["url"])
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Đo lường") < html.index("MET-01") < html.index("MET-02")
    assert html.index("MET-02") < html.index("Bức xạ") < html.index("RAD-01")
    for competency in matrix["competencies"]:
        assert f'name="c{competency.pk}-min_level"' in html
        assert f'for="id_c{competency.pk}-min_level"' in html  # every input has a label
    assert 'scope="row"' in html and 'scope="col"' in html


def test_saving_the_matrix_writes_every_change_at_once(client, matrix):
    level2 = matrix["levels"][1]
    data = form_data(
        matrix,
        MET_01__min_level="",  # no longer required
        MET_02__min_level=level2.pk,
        MET_02__validity_months=24,
        RAD_01__min_level=level2.pk,
        RAD_01__validity_months=12,
    )
    response = client.post(matrix["url"], data)
    assert response.status_code == 302
    assert saved(matrix) == {("MET-02", 2, 24), ("RAD-01", 2, 12)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("validity_months", "ba mươi"),
        ("validity_months", "-6"),
        ("validity_months", "0"),
        ("validity_months", "99999999999999999999999"),
        ("validity_months", ""),
        ("min_level", "999999"),
        ("min_level", "abc"),
    ],
)
def test_a_bad_row_saves_nothing_and_is_marked(client, matrix, field, value):
    before = saved(matrix)
    level2 = matrix["levels"][1]
    data = form_data(
        matrix,
        MET_02__min_level=level2.pk,  # a good change that must not be saved either
        RAD_01__min_level=level2.pk,
    )
    data[f"c{matrix['competencies'][2].pk}-{field}"] = value
    response = client.post(matrix["url"], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html  # the row is marked
    assert "1 dòng có lỗi." in html  # the page is in Vietnamese, the default language
    assert saved(matrix) == before


def test_rows_missing_from_the_post_leave_their_requirement_alone(client, matrix):
    # a competency added by someone else after the page was opened has no row in the post
    response = client.post(matrix["url"], {})
    assert response.status_code == 302
    assert saved(matrix) == {("MET-01", 1, 36)}


def test_a_published_framework_is_shown_read_only_and_refuses_a_save(client, matrix):
    framework = matrix["framework"]
    framework.status = Framework.Status.PUBLISHED
    framework.save()
    html = client.get(matrix["url"]).content.decode()
    assert "<select" not in html and "chỉ được xem, không được sửa" in html
    response = client.post(matrix["url"], form_data(matrix, MET_01__min_level=""))
    assert response.status_code == 302
    assert saved(matrix) == {("MET-01", 1, 36)}


def test_the_chooser_opens_the_matrix_of_the_chosen_position(client, matrix):
    url = reverse("competencies_admin:matrix")
    assert client.get(url, {"framework": matrix["framework"].pk}).status_code == 200
    response = client.get(
        url, {"framework": matrix["framework"].pk, "position": matrix["position"].pk}
    )
    assert response.status_code == 302 and response.url == matrix["url"]
    # nonsense is a form error, not a crash
    assert client.get(url, {"framework": "x", "position": "9999"}).status_code == 200


def test_an_unknown_framework_or_position_is_404(client, matrix):
    url = reverse(
        "competencies_admin:matrix_edit", args=[matrix["framework"].pk, matrix["position"].pk + 99]
    )
    assert client.get(url).status_code == 404


def test_the_matrix_needs_the_change_requirement_permission(client, matrix, hr_officer_of):
    client.force_login(hr_officer_of(OrgUnitFactory()))
    assert_denied(client.get(matrix["url"]))
    assert_denied(client.post(matrix["url"], form_data(matrix, MET_01__min_level="")))
    assert saved(matrix) == {("MET-01", 1, 36)}


def test_the_menu_shows_the_matrix_to_framework_administrators(client, matrix):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("competencies_admin:matrix") in html
