"""Framework versions: draft → published → retired; published requirements never change."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.models import CompetencyRecord, Framework, Requirement
from competencies.selectors import framework_published
from competencies.services import (
    RequirementRow,
    competency_record_create,
    framework_new_version,
    framework_publish,
    requirements_set_for_position,
)
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.competencies.support import assert_denied
from tests.staff.factories import PositionFactory

pytestmark = pytest.mark.django_db


def draft(**kwargs):
    return FrameworkFactory(status=Framework.Status.DRAFT, **kwargs)


def test_publishing_a_draft_retires_the_published_version():
    old = FrameworkFactory(name="Khung", version=1)
    new = draft(name="Khung", version=2)
    framework_publish(framework=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Framework.Status.RETIRED
    assert new.status == Framework.Status.PUBLISHED and new.published_at is not None
    assert framework_published() == new


def test_publishing_a_new_version_never_rewrites_past_competency_records(world):
    record = competency_record_create(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        source=CompetencyRecord.Source.EXAM,
        evidence_ref="attempt:1",
        assessed_on=date(2026, 1, 10),
    )
    before = CompetencyRecord.objects.values().get(pk=record.pk)
    published = framework_published()
    new = framework_new_version(framework=published)
    # the new version halves the validity and raises the level
    requirements_set_for_position(
        framework=new,
        position=world.officer.position,
        rows=[
            RequirementRow(
                competency=world.competency,
                min_level=ProficiencyLevelFactory(rank=3),
                validity_months=12,
            )
        ],
    )
    framework_publish(framework=new)
    assert CompetencyRecord.objects.values().get(pk=record.pk) == before
    assert CompetencyRecord.objects.count() == 1
    # and the retired version still holds its own requirements
    assert Requirement.objects.get(framework=published).validity_months == 24


def test_publishing_the_published_version_again_changes_nothing():
    framework = FrameworkFactory()
    framework_publish(framework=framework)
    published_at = Framework.objects.get().published_at
    framework_publish(framework=framework)
    assert Framework.objects.get().published_at == published_at


def test_a_retired_framework_is_never_published_again():
    retired = FrameworkFactory(status=Framework.Status.RETIRED)
    current = FrameworkFactory()
    with pytest.raises(ValidationError):
        framework_publish(framework=retired)
    current.refresh_from_db()
    assert current.status == Framework.Status.PUBLISHED


def test_a_new_version_is_a_draft_copy_of_every_requirement():
    published = FrameworkFactory(name="Khung", version=3)
    FrameworkFactory(name="Khung", version=1, status=Framework.Status.RETIRED)
    requirements = RequirementFactory.create_batch(
        3, framework=published, position=PositionFactory()
    )
    new = framework_new_version(framework=published)
    assert (new.name, new.version, new.status) == ("Khung", 4, Framework.Status.DRAFT)
    copied = {
        (r.position_id, r.competency_id, r.min_level_id, r.validity_months)
        for r in new.requirements.all()
    }
    assert copied == {
        (r.position_id, r.competency_id, r.min_level_id, r.validity_months) for r in requirements
    }
    assert published.requirements.count() == 3


def test_there_is_at_most_one_draft_of_a_framework():
    published = FrameworkFactory(name="Khung", version=1)
    framework_new_version(framework=published)
    with pytest.raises(ValidationError):
        framework_new_version(framework=published)
    assert Framework.objects.filter(status=Framework.Status.DRAFT).count() == 1


@pytest.mark.parametrize("status", [Framework.Status.PUBLISHED, Framework.Status.RETIRED])
def test_requirements_of_a_published_or_retired_framework_are_read_only(status):
    requirement = RequirementFactory(framework=FrameworkFactory(status=status))
    with pytest.raises(ValidationError):
        requirements_set_for_position(
            framework=requirement.framework,
            position=requirement.position,
            rows=[
                RequirementRow(
                    competency=requirement.competency, min_level=None, validity_months=None
                )
            ],
        )
    assert Requirement.objects.filter(pk=requirement.pk).exists()


def test_setting_requirements_adds_changes_and_removes_rows():
    framework = draft()
    position = PositionFactory()
    level1, level2 = ProficiencyLevelFactory(rank=1), ProficiencyLevelFactory(rank=2)
    kept, changed, removed, added, untouched = CompetencyFactory.create_batch(5)
    for competency in (kept, changed, removed, untouched):
        RequirementFactory(
            framework=framework,
            position=position,
            competency=competency,
            min_level=level1,
            validity_months=36,
        )
    changes = requirements_set_for_position(
        framework=framework,
        position=position,
        rows=[
            RequirementRow(competency=kept, min_level=level1, validity_months=36),
            RequirementRow(competency=changed, min_level=level2, validity_months=24),
            RequirementRow(competency=removed, min_level=None, validity_months=36),
            RequirementRow(competency=added, min_level=level2, validity_months=12),
        ],
    )
    assert (changes.created, changes.updated, changes.deleted) == (1, 1, 1)
    assert {
        (r.competency_id, r.min_level.rank, r.validity_months)
        for r in Requirement.objects.filter(framework=framework, position=position)
    } == {
        (kept.pk, 1, 36),
        (changed.pk, 2, 24),
        (added.pk, 2, 12),
        (untouched.pk, 1, 36),
    }


def test_setting_requirements_is_all_or_nothing():
    framework = draft()
    position = PositionFactory()
    level = ProficiencyLevelFactory(rank=2)
    good, bad = CompetencyFactory.create_batch(2)
    with pytest.raises(ValidationError) as caught:
        requirements_set_for_position(
            framework=framework,
            position=position,
            rows=[
                RequirementRow(competency=good, min_level=level, validity_months=24),
                RequirementRow(competency=bad, min_level=level, validity_months=0),
            ],
        )
    assert set(caught.value.error_dict) == {bad.pk}
    assert not Requirement.objects.exists()


def test_the_publish_button_asks_then_publishes(client, framework_admin):
    old = FrameworkFactory(name="Khung", version=1)
    new = draft(name="Khung", version=2)
    client.force_login(framework_admin)
    url = reverse("competencies_admin:framework_publish", args=[new.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert str(old) in confirm.content.decode()  # says which version will be retired
    assert client.post(url).status_code == 302
    assert framework_published() == new


def test_the_framework_list_offers_publish_for_drafts_and_new_version_otherwise(
    client, framework_admin
):
    published = FrameworkFactory()
    a_draft = draft()
    client.force_login(framework_admin)
    html = client.get(reverse("framework:index")).content.decode()
    assert reverse("competencies_admin:framework_publish", args=[a_draft.pk]) in html
    assert reverse("competencies_admin:framework_new_version", args=[published.pk]) in html
    assert reverse("competencies_admin:framework_publish", args=[published.pk]) not in html
    assert reverse("framework:edit", args=[published.pk]) not in html


def test_the_new_version_button_creates_a_draft_and_opens_its_requirements(client, framework_admin):
    published = FrameworkFactory(name="Khung", version=1)
    client.force_login(framework_admin)
    response = client.post(reverse("competencies_admin:framework_new_version", args=[published.pk]))
    new = Framework.objects.get(status=Framework.Status.DRAFT)
    assert response.status_code == 302
    assert response.url.endswith(f"?framework={new.pk}")


def test_a_published_framework_cannot_be_edited_or_deleted_in_the_admin(client, framework_admin):
    published = FrameworkFactory(name="Khung", version=1)
    client.force_login(framework_admin)
    for name in ("framework:edit", "framework:delete"):
        url = reverse(name, args=[published.pk])
        assert client.get(url).status_code == 302
        assert client.post(url, {"name": "Đổi tên", "version": 9}).status_code == 302
    published.refresh_from_db()
    assert (published.name, published.version) == ("Khung", 1)


def test_a_draft_can_still_be_renamed_in_the_admin(client, framework_admin):
    a_draft = draft(name="Khung", version=2)
    client.force_login(framework_admin)
    response = client.post(
        reverse("framework:edit", args=[a_draft.pk]), {"name": "Khung mới", "version": 2}
    )
    assert response.status_code == 302
    a_draft.refresh_from_db()
    assert a_draft.name == "Khung mới"


def test_publishing_needs_the_change_framework_permission(client, hr_officer_of):
    from tests.staff.factories import OrgUnitFactory

    a_draft = draft()
    client.force_login(hr_officer_of(OrgUnitFactory()))
    url = reverse("competencies_admin:framework_publish", args=[a_draft.pk])
    assert_denied(client.post(url))
    a_draft.refresh_from_db()
    assert a_draft.status == Framework.Status.DRAFT
