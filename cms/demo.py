"""Demo data for the embedded mode: a small but real organisation, framework, course, exam and
one account per role. Every step is an upsert, so seeding twice changes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from assessments.models import BlueprintCell, Exam, Question
from assessments.services import exam_publish, question_version_create
from certificates.models import CertificateTemplate
from competencies.models import Competency, Domain, Framework, ProficiencyLevel, Requirement
from competencies.selectors import framework_published
from competencies.services import (
    RequirementRow,
    add_months,
    competency_record_assess,
    framework_new_version,
    framework_publish,
    requirements_set_for_position,
)
from courses.models import CourseIndexPage
from courses.services import course_catalogue_grant_trainers, course_reviewer_grant
from staff.models import OrgUnit, Position, StaffRecord
from staff.roles import Role
from staff.services import (
    hr_assignment_grant,
    org_unit_upsert,
    position_upsert,
    provinces_load,
    roles_sync,
    staff_record_upsert,
    user_role_grant,
)

from .demo_courses import demo_courses_seed
from .demo_i18n import demo_english_translation
from .demo_questions import demo_questions_seed
from .models import HomePage

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented in the README; demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    email: str


DEMO_ACCOUNTS = [
    DemoAccount("canbo", Role.OFFICER, "Nguyễn Thị Thu Hương", "canbo@example.vn"),
    DemoAccount("giangvien", Role.TRAINER, "Trần Minh Quân", "giangvien@example.vn"),
    # a senior trainer who reviews the other trainers' course changes
    DemoAccount("duyetkh", Role.TRAINER, "Vũ Thị Lan", "duyetkh@example.vn"),
    DemoAccount("nhansu", Role.HR_OFFICER, "Lê Thị Mai", "nhansu@example.vn"),
    DemoAccount("nhansu2", Role.HR_OFFICER, "Phạm Văn Bình", "nhansu2@example.vn"),
    DemoAccount("quantri", Role.ADMINISTRATOR, "Đặng Văn Ơn", "quantri@example.vn"),
]

DOMAINS = [
    ("MET", "Tiêu chuẩn – Đo lường – Chất lượng"),
    ("IP", "Sở hữu trí tuệ"),
    ("RAD", "An toàn bức xạ và hạt nhân"),
    ("RF", "Quản lý tần số vô tuyến điện"),
    ("TEL", "Viễn thông"),
    ("POST", "Bưu chính"),
    ("STM", "Quản lý khoa học và công nghệ"),
    ("DX", "Chuyển đổi số"),
]

COMPETENCIES = [
    ("MET-01", "MET", "Quản lý phương tiện đo nhóm 2 tại cơ sở"),
    ("MET-02", "MET", "Kiểm tra nhà nước về đo lường đối với hàng đóng gói sẵn"),
    ("MET-03", "MET", "Kiểm tra chất lượng sản phẩm, hàng hóa lưu thông trên thị trường"),
    ("IP-01", "IP", "Hướng dẫn thủ tục bảo hộ nhãn hiệu"),
    ("IP-02", "IP", "Nhận biết và xử lý hàng hóa xâm phạm quyền sở hữu trí tuệ"),
    ("IP-03", "IP", "Hỗ trợ xây dựng và quản lý chỉ dẫn địa lý, nhãn hiệu tập thể"),
    ("RAD-01", "RAD", "Nhận biết và báo cáo sự cố bức xạ"),
    ("RAD-02", "RAD", "Thẩm định hồ sơ cấp giấy phép tiến hành công việc bức xạ"),
    ("RAD-03", "RAD", "Kiểm tra an toàn bức xạ tại cơ sở X-quang y tế"),
    ("RF-01", "RF", "Tiếp nhận phản ánh can nhiễu tần số"),
    ("RF-02", "RF", "Kiểm tra việc sử dụng tần số và thiết bị vô tuyến điện"),
    ("RF-03", "RF", "Hướng dẫn thủ tục cấp giấy phép sử dụng tần số vô tuyến điện"),
    ("TEL-01", "TEL", "Quản lý hạ tầng viễn thông thụ động trên địa bàn"),
    ("POST-01", "POST", "Quản lý hoạt động cung ứng dịch vụ bưu chính"),
    ("STM-01", "STM", "Quản lý nhiệm vụ khoa học và công nghệ cấp cơ sở"),
    ("DX-01", "DX", "Sử dụng dịch vụ công trực tuyến và nền tảng số trong xử lý thủ tục"),
]

LEVELS = [(1, "Nhận biết"), (2, "Vận dụng"), (3, "Thành thạo"), (4, "Chuyên gia")]

FRAMEWORK_NAME = "Khung năng lực tối thiểu KH&CN cấp xã"

PROVINCE = Position.Level.PROVINCE
# position code, name, level
POSITIONS = [
    ("XA-KHCN", "Công chức phụ trách khoa học và công nghệ cấp xã", Position.Level.COMMUNE),
    ("XA-VHXH", "Công chức văn hóa – xã hội cấp xã", Position.Level.COMMUNE),
    ("TINH-DL", "Công chức quản lý tiêu chuẩn – đo lường – chất lượng cấp tỉnh", PROVINCE),
    ("TINH-ATBX", "Công chức quản lý an toàn bức xạ và hạt nhân cấp tỉnh", PROVINCE),
    ("TINH-TS", "Công chức quản lý tần số vô tuyến điện và viễn thông cấp tỉnh", PROVINCE),
]

# position → [(competency, minimum level rank, validity in months)]; radiation safety is
# re-assessed more often (24 months) than the rest (36)
REQUIREMENTS = {
    "XA-KHCN": [
        ("MET-01", 2, 36),
        ("MET-02", 1, 36),
        ("IP-01", 1, 36),
        ("RAD-01", 1, 24),
        ("RF-01", 1, 36),
        ("TEL-01", 1, 36),
        ("POST-01", 1, 36),
        ("STM-01", 2, 36),
        ("DX-01", 2, 36),
    ],
    "TINH-DL": [
        ("MET-01", 3, 36),
        ("MET-02", 3, 36),
        ("MET-03", 3, 36),
        ("IP-02", 2, 36),
        ("DX-01", 2, 36),
    ],
    "TINH-ATBX": [
        ("RAD-01", 3, 24),
        ("RAD-02", 3, 24),
        ("RAD-03", 3, 24),
        ("MET-01", 1, 36),
        ("DX-01", 2, 36),
    ],
    "TINH-TS": [
        ("RF-01", 3, 36),
        ("RF-02", 3, 36),
        ("RF-03", 3, 36),
        ("TEL-01", 2, 36),
        ("DX-01", 2, 36),
    ],
}

# (personnel number, full name, unit code, position code, email)
EXTRA_STAFF = [
    ("HN-000002", "Trần Quốc Việt", "01", "TINH-DL", "tqviet@example.vn"),
    ("HN-000003", "Vũ Thị Lan", "01", "TINH-ATBX", "vtlan@example.vn"),
    ("HN-000004", "Hoàng Minh Đức", "01", "TINH-TS", "hmduc@example.vn"),
]

# the officer's earlier assessments by the HR officer, so that "My competencies" shows every
# standing: (key, competency, level rank, months ago)
OFFICER_ASSESSMENTS = [
    ("demo-ip-01", "IP-01", 1, 12, "Phỏng vấn và kiểm tra hồ sơ hướng dẫn nhãn hiệu đã lập."),
    ("demo-dx-01", "DX-01", 2, 35, "Quan sát xử lý hồ sơ trên Cổng dịch vụ công."),
    ("demo-rad-01", "RAD-01", 1, 30, "Diễn tập báo cáo sự cố bức xạ tại xã."),
]

QUESTIONS = [
    (
        "MET-01 cân bàn chợ",
        "MET-01",
        "<p>Cân bàn dùng trong mua bán tại chợ thuộc loại phương tiện đo nào?</p>",
        [
            ("a", "Phương tiện đo nhóm 2", True),
            ("b", "Phương tiện đo nhóm 1", False),
            ("c", "Không phải phương tiện đo", False),
        ],
    ),
    (
        "MET-01 chu kỳ kiểm định",
        "MET-01",
        "<p>Phương tiện đo nhóm 2 đang sử dụng phải được làm gì theo chu kỳ?</p>",
        [
            ("a", "Kiểm định", True),
            ("b", "Đăng ký nhãn hiệu", False),
            ("c", "Cấp phép tần số", False),
        ],
    ),
    (
        "MET-01 tem kiểm định",
        "MET-01",
        "<p>Dấu hiệu nào cho biết một chiếc cân đã được kiểm định còn hiệu lực?</p>",
        [
            ("a", "Tem hoặc dấu kiểm định còn thời hạn", True),
            ("b", "Hóa đơn mua cân", False),
            ("c", "Nhãn của nhà sản xuất", False),
        ],
    ),
    (
        "MET-01 xử lý cân sai",
        "MET-01",
        "<p>Phát hiện cân của hộ kinh doanh sai quá giới hạn cho phép, cán bộ xã cần làm gì "
        "trước tiên?</p>",
        [
            ("a", "Lập biên bản và hướng dẫn đưa cân đi kiểm định lại", True),
            ("b", "Bỏ qua nếu sai ít", False),
            ("c", "Tịch thu toàn bộ hàng hóa", False),
        ],
    ),
    (
        "MET-01 đúng sai",
        "MET-01",
        "<p>Đúng hay sai: cân đồng hồ lò xo dùng trong mua bán không cần kiểm định.</p>",
        [("true", "Đúng", False), ("false", "Sai", True)],
    ),
]


def _site_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Bồi dưỡng năng lực KH&CN cấp xã",
                slug="trang-chu",
                intro="<p>Học, thi và nhận chứng chỉ năng lực khoa học và công nghệ cho cán bộ "
                "cấp xã, phường, đặc khu.</p>",
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "Năng lực KH&CN cơ sở"
            site.save()
        else:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        # Wagtail's "Welcome" placeholder page is not part of the product
        if old_root and old_root.specific_class is Page and old_root.pk != home.pk:
            old_root.delete()
    return home


def _child_page(parent: Page, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
    return page


def _users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": account.email, "first_name": account.full_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if account.role is Role.ADMINISTRATOR:
                user.is_superuser = True
            user.save()
        user_role_grant(user=user, role=account.role)
        users[account.username] = user
    return users


def _framework(*, positions, competencies, levels) -> Framework:
    """The published framework carries REQUIREMENTS for the demo positions. When it does not
    (first run, or data from an older demo), a draft version gets them and is published, the
    way an administrator would do it: published requirements are never edited in place."""
    desired = {
        (positions[p].pk, competencies[c].pk): (levels[rank].pk, months)
        for p, rows in REQUIREMENTS.items()
        for c, rank, months in rows
    }
    published = framework_published()
    if published is not None:
        current = {
            (r.position_id, r.competency_id): (r.min_level_id, r.validity_months)
            for r in Requirement.objects.filter(
                framework=published, position__in=list(positions.values())
            )
        }
        if current == desired:
            return published
    draft = (
        Framework.objects.filter(name=FRAMEWORK_NAME, status=Framework.Status.DRAFT)
        .order_by("-version")
        .first()
    )
    level_by_pk = {level.pk: level for level in levels.values()}
    if draft is None:
        if published is not None:
            draft = framework_new_version(framework=published)
        else:
            draft = Framework.objects.create(name=FRAMEWORK_NAME, version=1)
    for position in positions.values():
        requirements_set_for_position(
            framework=draft,
            position=position,
            rows=[
                RequirementRow(
                    competency=competency,
                    min_level=level_by_pk[desired[key][0]] if key in desired else None,
                    validity_months=desired[key][1] if key in desired else None,
                )
                for competency in competencies.values()
                for key in [(position.pk, competency.pk)]
            ],
        )
    return framework_publish(framework=draft)


def _officer_assessments(*, staff, hr, competencies, levels) -> None:
    today = timezone.localdate()
    for key, code, rank, months_ago, note in OFFICER_ASSESSMENTS:
        competency_record_assess(
            staff=staff,
            competency=competencies[code],
            level=levels[rank],
            note=note,
            recorded_by=hr,
            assessed_on=add_months(today, -months_ago),
            idempotency_key=key,
        )


@transaction.atomic
def seed_demo() -> None:
    roles_sync()
    provinces_load()
    hanoi = OrgUnit.objects.get(code="01")
    caobang = OrgUnit.objects.get(code="04")
    ward = org_unit_upsert(
        code="01-BD", name="Phường Ba Đình", kind=OrgUnit.Kind.WARD, parent=hanoi
    )
    org_unit_upsert(code="01-SS", name="Xã Sóc Sơn", kind=OrgUnit.Kind.COMMUNE, parent=hanoi)
    cb_commune = org_unit_upsert(
        code="04-TK", name="Xã Thông Nông", kind=OrgUnit.Kind.COMMUNE, parent=caobang
    )
    positions = {
        code: position_upsert(code=code, name=name, level=level) for code, name, level in POSITIONS
    }
    officer_position = positions["XA-KHCN"]

    users = _users()
    staff_record_upsert(
        personnel_number="HN-000001",
        full_name="Nguyễn Thị Thu Hương",
        org_unit=ward,
        position=officer_position,
        email="canbo@example.vn",
        user=users["canbo"],
    )
    staff_record_upsert(
        personnel_number="CB-000001",
        full_name="Đặng Văn Ơn",
        org_unit=cb_commune,
        position=officer_position,
        email="dvon@example.vn",
    )
    for number, full_name, unit_code, position_code, email in EXTRA_STAFF:
        staff_record_upsert(
            personnel_number=number,
            full_name=full_name,
            org_unit=OrgUnit.objects.get(code=unit_code),
            position=positions[position_code],
            email=email,
        )
    hr_assignment_grant(user=users["nhansu"], org_unit=hanoi)
    hr_assignment_grant(user=users["nhansu2"], org_unit=caobang)
    course_reviewer_grant(user=users["duyetkh"])

    domains = {
        code: Domain.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in DOMAINS
    }
    competencies = {
        code: Competency.objects.update_or_create(
            code=code, defaults={"title": title, "domain": domains[domain]}
        )[0]
        for code, domain, title in COMPETENCIES
    }
    levels = {
        rank: ProficiencyLevel.objects.update_or_create(rank=rank, defaults={"name": name})[0]
        for rank, name in LEVELS
    }
    _framework(positions=positions, competencies=competencies, levels=levels)
    _officer_assessments(
        staff=StaffRecord.objects.get(personnel_number="HN-000001"),
        hr=users["nhansu"],
        competencies=competencies,
        levels=levels,
    )

    home = _site_home()
    index = _child_page(
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
    course = courses["do-luong-co-ban"]

    questions = []
    for name, code, stem, options in QUESTIONS:
        question, created = Question.objects.get_or_create(
            name=name,
            defaults={
                "qtype": Question.Type.TRUE_FALSE
                if len(options) == 2
                else Question.Type.SINGLE_CHOICE,
                "competency": competencies[code],
                "difficulty": "easy",
                "status": Question.Status.APPROVED,
                "legal_document": "Luật Đo lường 2011",
            },
        )
        if created:
            question_version_create(
                question=question,
                stem=stem,
                options=[{"key": k, "text": t, "correct": c} for k, t, c in options],
            )
        questions.append(question)

    exam, _ = Exam.objects.get_or_create(
        title="Sát hạch: Đo lường cơ bản",
        defaults={
            "kind": Exam.Kind.CERTIFICATION,
            "course": course,
            "time_limit_minutes": 20,
            "pass_mark_percent": 60,
            "max_attempts": 3,
            "awarded_level": levels[2],
            "instructions": "Bài thi gồm 5 câu hỏi trắc nghiệm. Đạt từ 60% trở lên.",
        },
    )
    BlueprintCell.objects.get_or_create(
        exam=exam, competency=competencies["MET-01"], difficulty="easy", defaults={"count": 5}
    )
    if not exam.published:
        exam_publish(exam=exam)
    # the bank across the four core domains and one certification exam per domain
    demo_questions_seed(competencies=competencies, levels=levels, courses=courses)
    CertificateTemplate.objects.get_or_create(
        title="Chứng chỉ năng lực Đo lường cơ bản",
        defaults={
            "body": "Đã hoàn thành khóa học và đạt bài sát hạch, được công nhận năng lực: "
            "{competencies}.",
            "issuer": "Bộ Khoa học và Công nghệ",
            "signatory_name": "Nguyễn Văn A",
            "signatory_title": "Giám đốc Trung tâm Bồi dưỡng",
            "validity_months": 36,
            "exam": exam,
        },
    )
    # the metrology course in English, through Wagtail's copy for translation
    demo_english_translation()
