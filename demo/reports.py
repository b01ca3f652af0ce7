"""Officers for the HR reports: communes and wards in both demo provinces with every standing
(everything met, something expiring within 30 days, part, nothing, expired), and Xã Đông Anh
with nobody covering radiation safety, so each report shows something real.

Their evidence is recorded by HR (`competency_record_assess`), dated so that each record is
valid for the number of days given from the day of seeding; seeding again adds nothing."""

from datetime import timedelta

from django.utils import timezone

from competencies.services import add_months, competency_record_assess
from staff.models import OrgUnit
from staff.services import org_unit_upsert, staff_record_upsert

from .competencies import REQUIREMENTS

# unit code, name, kind, parent code
UNITS = [
    ("01-HK", "Phường Hoàn Kiếm", OrgUnit.Kind.WARD, "01"),
    ("01-DA", "Xã Đông Anh", OrgUnit.Kind.COMMUNE, "01"),
    ("04-BL", "Xã Bảo Lạc", OrgUnit.Kind.COMMUNE, "04"),
]

FRESH = 700  # days a record has left
SOON = 20  # within the 30-day window
GONE = -15  # expired a fortnight ago
EVERY = [code for code, _rank, _months in REQUIREMENTS["XA-KHCN"]]


def _all(days=FRESH, **exceptions):
    """Every requirement of the commune position at its minimum level, `days` left, except
    the codes given (days left for each, or None for no record)."""
    return {code: exceptions.get(code.replace("-", "_"), days) for code in EVERY}


# personnel number, full name, unit code, {competency code: days left (None: no record)}
OFFICERS = [
    ("HN-000010", "Phạm Quốc Khánh", "01-HK", _all()),
    ("HN-000011", "Đỗ Thị Ngọc Ánh", "01-HK", _all(RAD_01=SOON)),
    ("HN-000012", "Bùi Văn Sơn", "01-SS", {"MET-01": FRESH, "MET-02": FRESH, "DX-01": SOON}),
    ("HN-000013", "Ngô Thị Hạnh", "01-DA", {}),
    ("HN-000014", "Trịnh Minh Tuấn", "01-DA", _all(RAD_01=GONE)),
    ("CB-000002", "Nông Văn Dũng", "04-TK", _all()),
    ("CB-000003", "Hoàng Thị Mai", "04-BL", {"MET-01": SOON, "IP-01": FRESH, "RF-01": FRESH}),
    ("CB-000004", "Lục Văn Thắng", "04-BL", {}),
]


def report_officers_seed(*, positions, competencies, levels, hr_by_province) -> None:
    today = timezone.localdate()
    units = {
        code: org_unit_upsert(
            code=code, name=name, kind=kind, parent=OrgUnit.objects.get(code=parent)
        )
        for code, name, kind, parent in UNITS
    }
    requirement = {code: (rank, months) for code, rank, months in REQUIREMENTS["XA-KHCN"]}
    for number, full_name, unit_code, evidence in OFFICERS:
        unit = units.get(unit_code) or OrgUnit.objects.get(code=unit_code)
        staff = staff_record_upsert(
            personnel_number=number,
            full_name=full_name,
            org_unit=unit,
            position=positions["XA-KHCN"],
            email=f"{number.lower()}@example.vn",
        )
        for code, days_left in evidence.items():
            if days_left is None:
                continue
            rank, months = requirement[code]
            competency_record_assess(
                staff=staff,
                competency=competencies[code],
                level=levels[rank],
                note="Đánh giá tại nơi làm việc (dữ liệu mẫu).",
                recorded_by=hr_by_province[number[:2]],
                # valid for `months` from the assessment: `days_left` from today
                assessed_on=add_months(today + timedelta(days=days_left), -months),
                idempotency_key=f"demo-report-{number}-{code}",
            )
