"""Who may open which staff, competency and certificate URL: one table, one row per URL.

Rows name a URL (and the object it is about, from the world below); columns give the answer each
role must get. Adding a screen means adding one line to MATRIX; the completeness test at the end
fails until that line exists.

    LOGIN     302 to the sign-in page: anonymous visitors, and signed-in users without admin
              access reaching the Wagtail admin (Wagtail's require_admin_access sends them there)
    NO_PERM   302 to the admin dashboard: Wagtail's answer when an admin user lacks the model
              permission ("Sorry, you do not have permission to access this area.")
    404       the object is outside the user's scope: it "does not exist" for them
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Question
from certificates.models import Certificate, CertificateExport, IssuanceJob
from competencies.models import CompetencyRecord, Framework
from courses.models import CoursePage
from staff.models import ImportJob, StaffHistory, StaffRecord
from staff.roles import Role
from staff.services import hr_assignment_grant, user_role_grant
from tests.assessments.factories import ExamFactory, QuestionFactory
from tests.certificates.factories import CertificateTemplateFactory
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
)
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "→account_login"
NO_PERM = "→wagtailadmin_home"
ROLES = ("anonymous", "officer", "trainer", "hr_a", "hr_b", "admin")

# "[POST ]url name": (the World's objects in the URL, comma-separated, or None,
#                     anonymous, officer, trainer, HR of province A, HR of province B, admin)
# fmt: off
MATRIX = {
    # staff (Wagtail admin viewsets)
    "staffrecord:index":               (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "staffrecord:index_results":       (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "staffrecord:add":                 (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "staffrecord:inspect":             ("staff_a", LOGIN, LOGIN, 404,     200, 404, 200),
    "staffrecord:edit":                ("staff_a", LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    "staffrecord:delete":              ("staff_a", LOGIN, LOGIN, 404,     NO_PERM, 404, 200),
    "staffrecord:history":             ("staff_a", LOGIN, LOGIN, 404,     200, 404, 200),
    "staffrecord:history_results":     ("staff_a", LOGIN, LOGIN, 404,     200, 404, 200),
    "staffrecord:usage":               ("staff_a", LOGIN, LOGIN, 404,     200, 404, 200),
    "position:index":                  (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "orgunit:index":                   (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "orgunit:index_results":           (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "orgunit:add":                     (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "orgunit:edit":                    ("unit_a",  LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "orgunit:delete":                  ("unit_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, 200),
    "orgunit:history":                 ("unit_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, 200),
    "orgunit:history_results":         ("unit_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, 200),
    "orgunit:usage":                   ("unit_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, 200),
    "hrassignment:index":              (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    # staff: export, accounts and invitations (staff/admin_exports.py)
    "staff_export":                    (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "staff_accounts":                  (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "POST staff_account_invite_again": ("pending_a", LOGIN, LOGIN, NO_PERM,
                                        "→staff_accounts", 404, "→staff_accounts"),
    # staff: imports (staff/admin_imports.py); a job is seen by its uploader and administrators
    "staff_imports:upload":            (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "staff_imports:job":               ("job_a",   LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    "POST staff_imports:confirm":      ("job_a",   LOGIN, LOGIN, NO_PERM,
                                        "→staff_imports:job", 404, "→staff_imports:job"),
    # competencies
    "framework:index":                 (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "framework:index_results":         (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "framework:edit":                  ("framework", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "framework:delete":                ("framework", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "domain:index":                    (None,      LOGIN, LOGIN, 200,     200, 200, 200),
    "competency:index":                (None,      LOGIN, LOGIN, 200,     200, 200, 200),
    "proficiencylevel:index":          (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "competencies_admin:matrix":       (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "competencies_admin:matrix_edit":  ("framework,position_a",
                                        LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "competencies_admin:framework_publish":     ("framework", LOGIN, LOGIN, NO_PERM, NO_PERM,
                                                 NO_PERM, 200),
    "competencies_admin:framework_new_version": ("framework", LOGIN, LOGIN, NO_PERM, NO_PERM,
                                                 NO_PERM, 200),
    "competencies_admin:assess_search": (None,     LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "competencies_admin:assess":       ("staff_a", LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    "competencies_admin:evidence_download": ("record_a", LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    # certificates
    "certificate:index":               (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "certificate:index_results":       (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    # certificates are issued by the system, never added, edited or deleted by hand
    "certificate:add":                 (None,     LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, NO_PERM),
    "certificate:inspect":             ("cert_a",  LOGIN, LOGIN, 404,     200, 404, 200),
    "certificate:edit":                ("cert_a", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, NO_PERM),
    "certificate:delete":              ("cert_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, NO_PERM),
    "certificate:history":             ("cert_a",  LOGIN, LOGIN, 404,     200, 404, 200),
    "certificate:history_results":     ("cert_a",  LOGIN, LOGIN, 404,     200, 404, 200),
    "certificate:usage":               ("cert_a",  LOGIN, LOGIN, 404,     NO_PERM, 404, NO_PERM),
    "certificatetemplate:index":       (None,      LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "certificatetemplate:index_results": (None,    LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "certificatetemplate:edit":        ("template_a", LOGIN, LOGIN, 200,  NO_PERM, NO_PERM, 200),
    "certificatetemplate:preview":     ("template_a", LOGIN, LOGIN, 200,  NO_PERM, NO_PERM, 200),
    "certificates:download":           ("cert_a",  LOGIN, 200,   404,     200, 404, 200),
    "certificates:verify":             ("code_a",  200,   200,   200,     200, 200, 200),
    "certificates:verify_start":       (None,      200,   200,   200,     200, 200, 200),
    "certificates:verify_keys":        (None,      200,   200,   200,     200, 200, 200),
    "certificates:verify_issuer":      (None,      200,   200,   200,     200, 200, 200),
    "certificates:openbadge":          ("cert_a",  LOGIN, 200,   404,     200, 404, 200),
    # certificates: bulk issuance (administrators hold certificates.add_issuancejob)
    "certificate:revoke":              ("cert_a",  LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    "certificate:reissue":             ("cert_a",  LOGIN, LOGIN, NO_PERM, 200, 404, 200),
    "certificates_admin:issue":        (None,      LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    # certificates: HR exports (ZIP/CSV); a prepared ZIP is seen by its requester only
    "certificates_admin:export":       (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    "certificates_admin:export_job":   ("export_a", LOGIN, LOGIN, NO_PERM, 200, 404, 404),
    "certificates_admin:export_download": ("export_a", LOGIN, LOGIN, NO_PERM, 200, 404, 404),
    "certificates:my_certificates":    (None,      LOGIN, 200,   200,     200, 200, 200),
    "certificates_admin:issue_job":    ("issuance_job", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM,
                                        200),
    # courses: HR assignment (HR gets it with courses.add_enrolment in its role)
    "courses_assign":                  (None,      LOGIN, LOGIN, NO_PERM, 200, 200, 200),
    # courses: the offline pack of a live, public course is public like its page
    "courses:offline_pack_html":       ("course",  200,   200,   200,     200, 200, 200),
    "courses:offline_pack_pdf":        ("course",  200,   200,   200,     200, 200, 200),
    # assessments: the question bank (Wagtail admin, trainers; assessments/bank_admin.py)
    "question:index":                  (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:index_results":          (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:add":                    (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:edit":                   ("question", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:inspect":                ("question", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:delete":                 ("question", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "question:history":                ("question", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:history_results":        ("question", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question:usage":                  ("question", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "POST question:workflow":          ("question", LOGIN, LOGIN, "→question:inspect",
                                        NO_PERM, NO_PERM, "→question:inspect"),
    # question import/export (no token or format given: nothing to show → 404)
    "question_imports:upload":         (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question_imports:preview":        (None,       LOGIN, LOGIN, 404,     NO_PERM, NO_PERM, 404),
    "POST question_imports:confirm":   (None,       LOGIN, LOGIN, 404,     NO_PERM, NO_PERM, 404),
    "question_imports:template":       (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "question_imports:export":         (None,       LOGIN, LOGIN, 404,     NO_PERM, NO_PERM, 404),
    # exams (Wagtail admin, trainers; assessments/exam_admin.py)
    "exam:index":                      (None,   LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:index_results":              (None,   LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:add":                        (None,   LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:edit":                       ("exam", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:delete":                     ("exam", LOGIN, LOGIN, NO_PERM, NO_PERM, NO_PERM, 200),
    "exam:history":                    ("exam", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:history_results":            ("exam", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:usage":                      ("exam", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "exam:publish":                    ("exam", LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    # item statistics report (Wagtail Reports menu; assessments/item_statistics_admin.py)
    "item_statistics_report":          (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "item_statistics_report_results":  (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    # late answers (Wagtail admin, trainers; assessments/late_admin.py)
    "late_responses:index":            (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    "late_responses:upload":           (None,       LOGIN, LOGIN, 200,     NO_PERM, NO_PERM, 200),
    # competency reports (Wagtail Reports menu; reports/admin_views.py): HR sees her scope
    "reports_overview":                (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "reports_people":                  (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "reports_coverage":                (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "reports_by_competency":           (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "reports_expiring":                (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "reports_digest":                  (None,       LOGIN, LOGIN, NO_PERM, 200,     200,     200),
    "POST reports_digest":             (None,       LOGIN, LOGIN, NO_PERM,
                                        "→reports_digest", "→reports_digest", "→reports_digest"),
    # the officer's own pages
    "dashboard":                       (None,      LOGIN, 200,   200,     200, 200, 200),
    "my_record":                       (None,      LOGIN, 200,   200,     200, 200, 200),
    "cms:my_competencies":             (None,      LOGIN, 200,   200,     200, 200, 200),
    "my_learning":                     (None,      LOGIN, 200,   200,     200, 200, 200),
}
# fmt: on


@dataclass
class World:
    users: dict
    staff_a: StaffRecord
    pending_a: StaffRecord
    cert_a: Certificate
    record_a: CompetencyRecord
    framework: Framework
    job_a: ImportJob
    course: CoursePage
    question: Question
    exam: object = None
    issuance_job: IssuanceJob | None = None
    export_a: CertificateExport | None = None

    @property
    def position_a(self):
        return self.staff_a.position

    @property
    def unit_a(self):
        return self.staff_a.org_unit

    @property
    def template_a(self):
        return self.cert_a.template

    @property
    def code_a(self) -> str:
        return self.cert_a.verification_code

    # what nobody outside province A's HR, its administrators and the holder may ever read
    @property
    def secrets_of_a(self) -> list[str]:
        return [self.staff_a.full_name, self.staff_a.personnel_number, self.cert_a.serial]


def user_with(role: Role | None, **kwargs):
    user = UserFactory(**kwargs)
    if role is not None:
        user_role_grant(user=user, role=role)
    return user


@pytest.fixture
def world(roles) -> World:
    ministry = OrgUnitFactory(code="BKHCN", kind="ministry")
    province_a = OrgUnitFactory(code="01", name="Hà Nội", parent=ministry)
    province_b = OrgUnitFactory(code="04", name="Cao Bằng", parent=ministry)
    ward_a = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=province_a)
    commune_b = OrgUnitFactory(code="04-TN", name="Xã Trà Lĩnh", kind="commune", parent=province_b)

    officer = user_with(Role.OFFICER, username="officer-a")
    staff_a = StaffRecordFactory(
        personnel_number="HN-SECRET-1", full_name="Trần Thị Bí Mật", org_unit=ward_a, user=officer
    )
    StaffHistory.objects.create(
        staff=staff_a, org_unit=ward_a, position=staff_a.position, started_on=date(2025, 7, 1)
    )
    pending_a = StaffRecordFactory(org_unit=ward_a, user=user_with(Role.OFFICER))
    StaffRecordFactory(full_name="Bế Văn Bắc", org_unit=commune_b, user=None)
    cert_a = Certificate.objects.create(
        serial="CC-2025-SECRET",
        staff=staff_a,
        template=CertificateTemplateFactory(),
        basis="manual:1",
        holder_name=staff_a.full_name,
        position_name=staff_a.position.name,
        unit_name=ward_a.name,
        issued_on=date(2025, 8, 1),
        valid_until=date(2028, 8, 1),
        verification_code="v" * 43,
        badge_jwt="e30.e30.c2lnbmF0dXJl",
    )
    cert_a.pdf.save("CC-2025-SECRET.pdf", ContentFile(b"%PDF-1.4 test"))

    record_a = CompetencyRecord.objects.create(
        staff=staff_a,
        competency=CompetencyFactory(),
        level=ProficiencyLevelFactory(),
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref="manual:1",
        assessed_on=date(2025, 8, 1),
        valid_until=date(2027, 8, 1),
    )
    record_a.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"))

    hr_a = user_with(Role.HR_OFFICER)
    hr_assignment_grant(user=hr_a, org_unit=province_a)
    hr_b = user_with(Role.HR_OFFICER)
    hr_assignment_grant(user=hr_b, org_unit=province_b)
    admin = user_with(None, is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    export_a = CertificateExport.objects.create(
        created_by=hr_a, org_unit=province_a, total=1, status=CertificateExport.Status.DONE
    )
    export_a.file.save("ha-noi.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    users = {
        "anonymous": None,
        "officer": officer,
        "trainer": user_with(Role.TRAINER),
        "hr_a": hr_a,
        "hr_b": hr_b,
        "admin": admin,
    }
    return World(
        users=users,
        staff_a=staff_a,
        pending_a=pending_a,
        cert_a=cert_a,
        record_a=record_a,
        framework=FrameworkFactory(status=Framework.Status.DRAFT),
        # already applied: confirming it again changes nothing, whoever asks
        job_a=ImportJob.objects.create(
            kind=ImportJob.Kind.STAFF,
            file="imports/ha-noi.csv",
            original_name="ha-noi.csv",
            uploaded_by=hr_a,
            status=ImportJob.Status.DONE,
        ),
        course=CoursePageFactory(parent=CourseIndexPageFactory(parent=site_home())),
        question=QuestionFactory(status=Question.Status.DRAFT),
        exam=ExamFactory(published=False),
        issuance_job=IssuanceJob.objects.create(
            template=cert_a.template, created_by=admin, staff_ids=[staff_a.pk], total=1
        ),
        export_a=export_a,
    )


def url_of(name: str, objects: list) -> str:
    """The URL of a row; a row naming a URL that does not exist fails the test."""
    try:
        return reverse(name, args=[getattr(obj, "pk", obj) for obj in objects])
    except NoReverseMatch:
        pytest.fail(f"The permission matrix names {name!r}, which is not a URL (renamed?)")


def outcome(response) -> int | str:
    if response.status_code in (301, 302):
        path = urlsplit(response.url).path
        for expected in (LOGIN, NO_PERM):
            if path == reverse(expected[1:]):
                return expected
        return f"→{path}"
    return response.status_code


def expected_outcome(value, args: list) -> int | str:
    # a "→url_name" expectation compares with the path it resolves to, with the row's objects
    # when the URL takes them
    if isinstance(value, str) and value not in (LOGIN, NO_PERM):
        try:
            return f"→{reverse(value[1:])}"
        except NoReverseMatch:
            return f"→{url_of(value[1:], args)}"
    return value


@pytest.mark.parametrize("row", list(MATRIX))
def test_each_role_gets_the_expected_answer(row, world):
    method, _, name = row.rpartition(" ")
    objects, *expected = MATRIX[row]
    args = [getattr(world, attr) for attr in (objects or "").split(",") if attr]
    url = url_of(name, args)
    # what anonymous visitors may read (certificate verification) is public by design
    public = expected[0] == 200
    mismatches = []
    for role, want in zip(ROLES, expected, strict=True):
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.post(url) if method == "POST" else client.get(url)
        got = outcome(response)
        if got != expected_outcome(want, args):
            mismatches.append(f"{role}: expected {want}, got {got}")
        elif role in ("trainer", "hr_b") and response.status_code == 200 and not public:
            content = response.content.decode(errors="replace")  # downloads are binary
            leaked = [s for s in world.secrets_of_a if s in content]
            if leaked:
                mismatches.append(f"{role}: sees province A's data {leaked}")
    assert not mismatches, f"{row} ({url}):\n" + "\n".join(mismatches)


# --- every staff, competency and certificate URL has a row ---------------------------------

APPS = ("staff", "competencies", "certificates", "reports")
# views written in these modules are ours: every URL they serve needs a row
MODULE_PREFIXES = tuple(f"{app}." for app in APPS)
# the officer's own pages, whatever module serves them
OWN_PAGES_ROUTE = "me/"
# sub-views of a scoped viewset that load one object: where scope leaks happen
OBJECT_VIEWS = ("inspect", "edit", "delete", "history", "usage")


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route, pattern.callback


def urls_that_need_a_row() -> set[str]:
    from wagtail.admin.viewsets import viewsets

    from staff.admin_views import ScopedModelViewSet

    names = set()
    for name, route, callback in _walk(get_resolver()):
        if callback.__module__.startswith(MODULE_PREFIXES) or route.startswith(OWN_PAGES_ROUTE):
            names.add(name)
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is None or model._meta.app_label not in APPS:
            continue
        names.add(f"{viewset.name}:index")
        if isinstance(viewset, ScopedModelViewSet):
            for view in OBJECT_VIEWS:
                try:
                    reverse(f"{viewset.name}:{view}", args=[1])
                except NoReverseMatch:
                    continue
                names.add(f"{viewset.name}:{view}")
    return names


def test_every_staff_competency_and_certificate_url_has_a_row():
    covered = {row.rpartition(" ")[2] for row in MATRIX}
    missing = sorted(urls_that_need_a_row() - covered)
    assert not missing, "Add a row to MATRIX for: " + ", ".join(missing)
