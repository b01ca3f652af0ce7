from dataclasses import dataclass

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from assessments.models import Exam
from assessments.version_cache import forget_all_question_versions
from competencies.models import Competency, ProficiencyLevel
from staff.models import StaffRecord
from staff.services import roles_sync
from tests.assessments.factories import BlueprintCellFactory, ExamFactory, QuestionFactory
from tests.certificates.factories import CertificateTemplateFactory
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware activates,
    nothing deactivates): each test starts, and leaves, in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    # rate-limit counters live in the cache (Redis in the scale mode): no test inherits them
    cache.clear()
    # a rolled-back test lets SQLite hand a version's id out again: no stale cached version
    forget_all_question_versions()
    # certificate PDFs and uploads go to a per-test folder
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def force_login_password_only(client, user):
    """Signs in as Django's login() does, with no second factor recorded in the session (what a
    sign-in outside allauth would give): staff/middleware.py sends an enrolled administrator to
    confirm a code."""
    _django_force_login(client, user)


_django_force_login = Client.force_login


def _force_login_with_every_factor(self, user, backend=None):
    # In tests, force_login stands for a complete allauth sign-in: the session records the
    # second factor too, as allauth's TOTP step does (staff/two_factor.py reads it).
    _django_force_login(self, user, backend)
    request = HttpRequest()
    request.session = self.session
    request.user = user
    record_authentication(request, user, "password")
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_with_every_factor)


@pytest.fixture
def roles(db):
    return roles_sync()


@dataclass
class ExamWorld:
    officer: StaffRecord
    competency: Competency
    level: ProficiencyLevel
    exam: Exam


@pytest.fixture
def world(db) -> ExamWorld:
    """An officer in a ward of a province, a published framework requiring one competency,
    a certification exam of five approved questions and a certificate template for it."""
    province = OrgUnitFactory(code="01", name="Hà Nội")
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=province)
    level = ProficiencyLevelFactory(rank=2, name="Vận dụng")
    competency = CompetencyFactory(code="MET-01", title="Quản lý phương tiện đo nhóm 2")
    officer = StaffRecordFactory(
        full_name="Nguyễn Thị Thu Hương", org_unit=ward, user__username="canbo"
    )
    RequirementFactory(
        framework=FrameworkFactory(),
        position=officer.position,
        competency=competency,
        min_level=level,
    )
    QuestionFactory.create_batch(5, competency=competency)
    exam = ExamFactory(awarded_level=level)
    BlueprintCellFactory(exam=exam, competency=competency, count=5)
    CertificateTemplateFactory(exam=exam)
    return ExamWorld(officer=officer, competency=competency, level=level, exam=exam)


def correct_response(item) -> list[str]:
    return [o["key"] for o in item.question_version.options if o["correct"]]


def wrong_response(item) -> list[str]:
    return [next(o["key"] for o in item.question_version.options if not o["correct"])]
