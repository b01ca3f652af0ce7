"""The item-statistics export gives the computing time in Vietnam's time, as dd/mm/yyyy HH:MM in
the CSV, never Wagtail's raw UTC ("2026-12-07 06:25:00.123456+00:00")."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import ItemStatistic
from staff.roles import Role
from tests.assessments.test_item_statistics import _user, bank, flagged_bank  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_csv_gives_local_times_and_no_raw_values(client, flagged_bank):  # noqa: F811
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    computed = ItemStatistic.objects.order_by("-computed_at").first().computed_at
    local = timezone.localtime(computed).strftime("%d/%m/%Y %H:%M")
    assert rows[1][-1] == local or rows[2][-1] == local
    assert "+00:00" not in text and "None" not in text and "True" not in text


def test_the_xlsx_gives_local_times(client, flagged_bank):  # noqa: F811
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = {
        timezone.make_naive(s.computed_at).replace(microsecond=0)
        for s in ItemStatistic.objects.all()
    }
    assert {v.replace(microsecond=0) for v in values} <= expected
