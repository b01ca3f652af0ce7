"""HR's main flow in the reports (issue 12): from the admin home to the province's overview,
down to a commune and a person, filtered by domain, and the XLSX download holds the people the
screen lists."""

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from demo.accounts import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_hr_drills_down_filters_and_downloads_the_same_figures(demo_site, page: Page):
    base = demo_site.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc email").fill("nhansu")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # the admin home: her scope's figures, and the way to the report
    panel = page.locator("[data-overview-panel]")
    expect(panel).to_contain_text("Hà Nội")
    shot(page, "hr-01-admin-home")
    panel.get_by_role("link", name="Mở báo cáo").click()

    expect(page.get_by_role("heading", name="Tổng quan đáp ứng khung năng lực")).to_be_visible()
    total = page.locator("[data-total]")
    expect(total).to_have_attribute("data-staff", "9")
    expect(page.locator("svg.report-chart").first).to_be_visible()
    expect(page.get_by_role("cell", name="Cao Bằng")).to_have_count(0)
    shot(page, "hr-02-overview-province")

    # province → commune
    page.get_by_role("link", name="Xã Đông Anh", exact=True).click()
    expect(page.locator("[data-total]")).to_have_attribute("data-staff", "2")
    # filtered by radiation safety: nobody in Đông Anh meets it
    page.get_by_label("Lĩnh vực").select_option(label="An toàn bức xạ và hạt nhân")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("[data-total]")).to_have_attribute("data-all", "0")
    shot(page, "hr-03-commune-radiation")

    # the commune's people, then the XLSX of the same list
    page.get_by_role("link", name="Xem danh sách cán bộ").click()
    rows = page.locator("tr[data-person]")
    expect(rows).to_have_count(2)
    on_screen = sorted(rows.locator("th a").all_inner_texts())
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    in_file = sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True))
    assert in_file == on_screen

    # and a person's record
    page.get_by_role("link", name=on_screen[0]).click()
    expect(page.get_by_text(on_screen[0]).first).to_be_visible()
    assert "/admin/staff" in page.url or "staffrecord" in page.url
    shot(page, "hr-04-person")
