"""One fold for every case- and diacritic-insensitive comparison, and its SQL twin agrees."""

import pytest

from competencies.selectors import assessable_staff
from lms.search import MAX_TERMS, Fold, search_terms
from lms.text import fold_vietnamese, strip_diacritics
from staff.models import StaffRecord
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, hr_officer_of

VIETNAMESE = "Nguyễn Thị Thu Hương ĐẶNG Văn Ơn Đo lường ỨNG DỤNG ỷ ỹ ỵ Ậ"


def test_fold_ignores_case_diacritics_and_spacing():
    assert fold_vietnamese("  NGUYỄN  Thị Thu HƯƠNG ") == "nguyen thi thu huong"
    assert fold_vietnamese("Đo lường") == fold_vietnamese("đo LƯỜNG") == "do luong"
    # decomposed input (NFD, as some keyboards send it) folds the same
    assert fold_vietnamese("Hu\u031bo\u031b\u0300ng") == "huong"
    assert strip_diacritics("Đo lường") == "Do luong"


def test_search_terms_are_bounded_and_trimmed():
    assert search_terms('"Nguyễn," (Hương)') == ["nguyen", "huong"]
    assert len(search_terms("a b c d e f g h i j k")) == MAX_TERMS
    assert search_terms("x" * 5000) == ["x" * 100]
    assert search_terms("   ") == []


@pytest.mark.django_db
def test_the_sql_fold_agrees_with_python():
    record = StaffRecordFactory(full_name=VIETNAMESE)
    folded = StaffRecord.objects.annotate(f=Fold("full_name")).get(pk=record.pk).f
    assert folded == fold_vietnamese(VIETNAMESE)


def test_the_assessment_search_folds_names_within_the_scope(roles):
    hanoi, caobang = OrgUnitFactory(code="01"), OrgUnitFactory(code="04")
    StaffRecordFactory(full_name="Nguyễn Thị Thu Hương", org_unit=hanoi)
    hr = hr_officer_of(hanoi)
    assert [s.full_name for s in assessable_staff(user=hr, query="HUONG")] == [
        "Nguyễn Thị Thu Hương"
    ]
    assert assessable_staff(user=hr_officer_of(caobang), query="huong") == []
