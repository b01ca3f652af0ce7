"""The minimum competency framework of the demo: the eight domains, their competencies, four
levels, what each demo position requires, and the officer's earlier assessments by HR."""

from django.utils import timezone

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

# what an officer reading in English sees
DOMAINS_EN = {
    "MET": "Standards, metrology and quality",
    "IP": "Intellectual property",
    "RAD": "Radiation and nuclear safety",
    "RF": "Radio-frequency management",
    "TEL": "Telecommunications",
    "POST": "Postal services",
    "STM": "Science and technology management",
    "DX": "Digital transformation",
}
COMPETENCIES_EN = {
    "MET-01": "Managing group 2 measuring instruments locally",
    "MET-02": "State metrology inspection of prepackaged goods",
    "MET-03": "Inspecting the quality of products and goods on the market",
    "IP-01": "Guiding trademark protection procedures",
    "IP-02": "Recognising and handling goods that infringe intellectual property rights",
    "IP-03": "Supporting geographical indications and collective marks",
    "RAD-01": "Recognising and reporting radiation incidents",
    "RAD-02": "Appraising licence applications for radiation work",
    "RAD-03": "Inspecting radiation safety at medical X-ray facilities",
    "RF-01": "Receiving reports of radio-frequency interference",
    "RF-02": "Inspecting the use of frequencies and radio equipment",
    "RF-03": "Guiding radio-frequency licence procedures",
    "TEL-01": "Managing passive telecommunications infrastructure locally",
    "POST-01": "Managing the provision of postal services",
    "STM-01": "Managing grassroots science and technology tasks",
    "DX-01": "Using online public services and digital platforms for procedures",
}
LEVELS_EN = {1: "Awareness", 2: "Application", 3: "Proficient", 4: "Expert"}

# no demo exam covers these: HR assesses them at work (observation, interview, records), so
# that every requirement of the framework can be obtained one way or the other
ASSESSED_BY_HR = {"MET-03", "TEL-01", "POST-01", "STM-01", "DX-01"}

LEVELS = [(1, "Nhận biết"), (2, "Vận dụng"), (3, "Thành thạo"), (4, "Chuyên gia")]

FRAMEWORK_NAME = "Khung năng lực tối thiểu KH&CN cấp xã"

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

# the officer's earlier assessments by the HR officer, so that "My competencies" shows every
# standing: (key, competency, level rank, months ago)
OFFICER_ASSESSMENTS = [
    ("demo-ip-01", "IP-01", 1, 12, "Phỏng vấn và kiểm tra hồ sơ hướng dẫn nhãn hiệu đã lập."),
    ("demo-dx-01", "DX-01", 2, 35, "Quan sát xử lý hồ sơ trên Cổng dịch vụ công."),
    ("demo-rad-01", "RAD-01", 1, 30, "Diễn tập báo cáo sự cố bức xạ tại xã."),
]


def catalogue_seed():
    """Domains, competencies and levels, keyed by code (rank for levels)."""
    domains = {
        code: Domain.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": DOMAINS_EN[code]}
        )[0]
        for code, name in DOMAINS
    }
    competencies = {
        code: Competency.objects.update_or_create(
            code=code,
            defaults={"title": title, "title_en": COMPETENCIES_EN[code], "domain": domains[domain]},
            # set once: an administrator's later choice survives seeding again
            create_defaults={
                "title": title,
                "title_en": COMPETENCIES_EN[code],
                "domain": domains[domain],
                "assessed_by_hr": code in ASSESSED_BY_HR,
            },
        )[0]
        for code, domain, title in COMPETENCIES
    }
    levels = {
        rank: ProficiencyLevel.objects.update_or_create(
            rank=rank, defaults={"name": name, "name_en": LEVELS_EN[rank]}
        )[0]
        for rank, name in LEVELS
    }
    return domains, competencies, levels


def framework_seed(*, positions, competencies, levels) -> Framework:
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


def officer_assessments_seed(*, staff, hr, competencies, levels) -> None:
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
