"""The whole thin path as a person does it: an officer on a phone-sized screen learns, passes
the exam and downloads the certificate; then the public verifies it."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from assessments.models import AttemptItem
from certificates.models import Certificate
from demo.accounts import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_officer_learns_passes_gets_certified_and_the_public_verifies(demo_site, page: Page):
    base = demo_site.url
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.get_by_label("Tên đăng nhập hoặc email").fill("canbo")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Trang của tôi")).to_be_visible()

    page.goto(base + "/khoa-hoc/do-luong-co-ban/")
    shot(page, "01-course")
    page.get_by_role("link", name="Bắt đầu học").click()
    # read each lesson to its end and go on, however many there are: the last one leads back
    # to the course
    course_url = base + "/khoa-hoc/do-luong-co-ban/"
    for _ in range(20):
        expect(page.locator("article h1")).to_be_visible()
        lesson_url = page.url
        page.get_by_role("button", name=re.compile(r"^Xong")).click()
        page.wait_for_url(lambda url, left=lesson_url: url != left)
        if page.url.split("#")[0] == course_url:
            break
    expect(page.get_by_text("Tiến độ: 100%")).to_be_visible()

    page.get_by_role("link", name="Sát hạch: Đo lường cơ bản").click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    attempt_id = int(page.url.split("/attempts/")[1].split("/")[0])
    items = {
        i.position: i
        for i in AttemptItem.objects.filter(attempt_id=attempt_id).select_related(
            "question_version"
        )
    }
    for position in sorted(items):
        item = items[position]
        assert "correct" not in page.content()
        right = next(o for o in item.question_version.options if o["correct"])
        page.get_by_label(right["text"], exact=True).check()
        if position == 1:
            shot(page, "02-question")
        before = page.url
        page.get_by_role("button", name="Lưu và").filter(has_text="tiếp").or_(
            page.get_by_role("button", name="Lưu và xem lại")
        ).first.click()
        # attempt.js leaves the page only once the answer is saved: wait for that, or the next
        # question's answer could be picked on this page (true/false questions share labels)
        page.wait_for_url(lambda url, before=before: url != before)
    expect(page.get_by_role("heading", name="Xem lại trước khi nộp")).to_be_visible()
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_text("Điểm: 100")).to_be_visible()
    shot(page, "03-result")

    page.goto(base + "/me/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    certificate = Certificate.objects.get()

    # the public, in a fresh session
    page.context.clear_cookies()
    page.goto(base + f"/verify/{certificate.verification_code}/")
    expect(page.get_by_text("Nguyễn Thị Thu Hương")).to_be_visible()
    expect(page.get_by_text("Còn hiệu lực").first).to_be_visible()
    shot(page, "04-verify")
    response = page.goto(base + "/verify/khong-ton-tai-0000000000000000000000000/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy chứng chỉ")).to_be_visible()
