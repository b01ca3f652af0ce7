"""Builds the demo course assets committed beside this script (a developer tool, not run by
`seed_demo`): diagrams as small PNGs (Pillow), short narrated slideshow videos and their audio
versions (ffmpeg + espeak-ng), and short reference PDFs (xhtml2pdf).

    apt-get install -y ffmpeg espeak-ng     # once
    .venv/bin/python demo/assets/build.py

The outputs are committed, so a machine without ffmpeg still seeds the same demo. Every text
drawn here is Vietnamese demo content; the lesson texts that describe these files (titles, alt
text, transcripts) are in `demo/courses.py`.
"""

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FONTS = ROOT / "lms" / "fonts"
IMAGES, VIDEOS, AUDIO, DOCS = HERE / "images", HERE / "videos", HERE / "audio", HERE / "docs"
MAX_IMAGE_BYTES = 40 * 1024
MAX_VIDEO_BYTES = 150 * 1024

# Diagrams are drawn 640 px wide with large type: on a 360 px phone they show at about half
# size, and the smallest text must still read (about 11 px on screen).
W = 640
BLUE, LIGHT, RED, YELLOW, GREEN, GREY, INK = (
    "#0b5394",
    "#e8f0f8",
    "#b3261e",
    "#f4c20d",
    "#2e7d32",
    "#5f6368",
    "#1b1f23",
)
BODY, SMALL, HEAD = 24, 21, 28


# --- drawing helpers -------------------------------------------------------------------------


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=fnt) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def text_height(draw, text, fnt, width, spacing=6) -> int:
    return (fnt.size + spacing) * len(wrap(draw, text, fnt, width - 20)) - spacing


def text_in(draw, box, text, fnt, fill=INK, align="center", valign="middle", spacing=6):
    x0, y0, x1, y1 = box
    lines = wrap(draw, text, fnt, x1 - x0 - 20)
    line_h = fnt.size + spacing
    total = line_h * len(lines) - spacing
    y = y0 + (y1 - y0 - total) / 2 if valign == "middle" else y0 + 10
    for line in lines:
        w = draw.textlength(line, font=fnt)
        x = x0 + (x1 - x0 - w) / 2 if align == "center" else x0 + 10
        draw.text((x, y), line, font=fnt, fill=fill)
        y += line_h


def box(draw, xy, text, fnt, fill=LIGHT, outline=BLUE, text_fill=INK, radius=12, **kwargs):
    draw.rounded_rectangle(xy, radius=radius, fill=fill, outline=outline, width=3)
    text_in(draw, xy, text, fnt, fill=text_fill, **kwargs)


def arrow_down(draw, x, y0, y1, fill=BLUE):
    draw.line([(x, y0), (x, y1 - 10)], fill=fill, width=5)
    draw.polygon([(x, y1), (x - 11, y1 - 14), (x + 11, y1 - 14)], fill=fill)


def arrow_left(draw, x0, x1, y, fill=RED):
    draw.line([(x0, y), (x1 + 10, y)], fill=fill, width=4)
    draw.polygon([(x1, y), (x1 + 14, y - 9), (x1 + 14, y + 9)], fill=fill)


class Sheet:
    """A 640 px wide image that grows downwards: a title bar, then rows added in order."""

    def __init__(self, title: str):
        self.rows: list = []
        probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        self.title_h = text_height(probe, title, font(HEAD, True), W) + 30
        self.title = title
        self.probe = probe

    def add(self, height: int, paint) -> None:
        self.rows.append((height, paint))

    def note(self, text: str) -> None:
        h = text_height(self.probe, text, font(SMALL), W - 20) + 20
        self.add(h, lambda d, y: text_in(d, (10, y, W - 10, y + h), text, font(SMALL), GREY))

    def render(self) -> Image.Image:
        height = self.title_h + sum(h for h, _ in self.rows) + 20 * (len(self.rows) + 1)
        img = Image.new("RGB", (W, height), "white")
        draw = ImageDraw.Draw(img)
        draw.rectangle([0, 0, W, self.title_h], fill=BLUE)
        text_in(draw, (0, 0, W, self.title_h), self.title, font(HEAD, True), fill="white")
        y = self.title_h + 20
        for h, paint in self.rows:
            paint(draw, y)
            y += h + 20
        return img


def save_png(img: Image.Image, name: str) -> Path:
    path = IMAGES / name
    img.convert("P", palette=Image.Palette.ADAPTIVE, colors=48).save(path, optimize=True)
    size = path.stat().st_size
    assert size <= MAX_IMAGE_BYTES, f"{name} is {size} bytes"
    return path


def flow(title: str, steps: list[str], note: str, colors=None) -> Image.Image:
    """Numbered steps from top to bottom, joined by arrows."""
    sheet = Sheet(title)
    for i, step in enumerate(steps):
        h = max(76, text_height(sheet.probe, step, font(BODY), W - 150) + 30)
        fill = (colors or [LIGHT] * len(steps))[i]

        def paint(d, y, i=i, step=step, h=h, fill=fill):
            d.ellipse((20, y + h / 2 - 28, 76, y + h / 2 + 28), fill=BLUE)
            text_in(
                d,
                (20, y + h / 2 - 28, 76, y + h / 2 + 28),
                str(i + 1),
                font(26, True),
                fill="white",
            )
            box(d, (96, y, W - 20, y + h), step, font(BODY), fill=fill, align="left")
            if i < len(steps) - 1:
                arrow_down(d, 48, y + h / 2 + 32, y + h + 20)

        sheet.add(h, paint)
    sheet.note(note)
    return sheet.render()


def callouts(sheet: Sheet, notes: list[str]) -> None:
    """Numbered notes matching numbered markers drawn on the picture above."""
    for i, note in enumerate(notes, start=1):
        h = max(56, text_height(sheet.probe, note, font(SMALL), W - 110) + 20)

        def paint(d, y, i=i, note=note, h=h):
            marker(d, 44, y + h / 2, i)
            box(
                d,
                (80, y, W - 20, y + h),
                note,
                font(SMALL),
                fill="white",
                outline=GREY,
                align="left",
            )

        sheet.add(h, paint)


def marker(d, cx, cy, number: int) -> None:
    d.ellipse((cx - 20, cy - 20, cx + 20, cy + 20), fill=RED)
    text_in(d, (cx - 20, cy - 20, cx + 20, cy + 20), str(number), font(22, True), fill="white")


# --- the diagrams ----------------------------------------------------------------------------


def instrument_icon(d, kind: int, cx: int, top: int) -> None:
    if kind == 0:  # platform scale with a dial
        d.rectangle((cx - 60, top + 135, cx + 60, top + 152), fill=GREY)
        d.rectangle((cx - 9, top + 75, cx + 9, top + 135), fill=GREY)
        d.ellipse((cx - 45, top + 5, cx + 45, top + 95), fill="white", outline=INK, width=4)
        d.line((cx, top + 50, cx + 27, top + 24), fill=RED, width=4)
    elif kind == 1:  # fuel dispenser
        d.rectangle((cx - 40, top + 5, cx + 40, top + 152), fill=RED)
        d.rectangle((cx - 30, top + 18, cx + 30, top + 56), fill="white")
        text_in(d, (cx - 30, top + 18, cx + 30, top + 56), "12,50", font(18, True))
        d.line((cx + 40, top + 80, cx + 62, top + 80, cx + 62, top + 135), fill=INK, width=5)
    elif kind == 2:  # water meter on a pipe
        d.rectangle((cx - 75, top + 68, cx + 75, top + 92), fill=GREY)
        d.ellipse((cx - 48, top + 32, cx + 48, top + 128), fill="white", outline=BLUE, width=5)
        d.rectangle((cx - 30, top + 66, cx + 30, top + 92), fill=INK)
        text_in(d, (cx - 30, top + 66, cx + 30, top + 92), "0153", font(16, True), fill="white")
    else:  # electricity meter
        d.rounded_rectangle(
            (cx - 50, top + 5, cx + 50, top + 152), radius=8, fill="white", outline=INK, width=4
        )
        d.rectangle((cx - 38, top + 25, cx + 38, top + 55), fill=INK)
        text_in(d, (cx - 38, top + 25, cx + 38, top + 55), "04821", font(17, True), fill="#7CFC00")
        text_in(d, (cx - 45, top + 75, cx + 45, top + 105), "kWh", font(20, True))


def met_instruments() -> Image.Image:
    sheet = Sheet("Phương tiện đo nhóm 2 thường gặp ở xã")
    labels = ["Cân dùng trong mua bán", "Cột đo xăng dầu", "Đồng hồ nước lạnh", "Công tơ điện"]
    for row in range(2):

        def paint(d, y, row=row):
            for col in range(2):
                kind = row * 2 + col
                x0 = 20 + col * 310
                d.rounded_rectangle(
                    (x0, y, x0 + 290, y + 250), radius=12, fill=LIGHT, outline=BLUE, width=3
                )
                instrument_icon(d, kind, x0 + 145, y + 12)
                text_in(d, (x0, y + 170, x0 + 290, y + 248), labels[kind], font(BODY, True))

        sheet.add(250, paint)
    sheet.note("Phải được kiểm định trước khi đưa vào sử dụng và định kỳ trong quá trình sử dụng.")
    return sheet.render()


def met_stamp() -> Image.Image:
    sheet = Sheet("Đọc tem kiểm định trên phương tiện đo")

    def stamp(d, y):
        d.rounded_rectangle(
            (150, y, 490, y + 250), radius=14, fill="#fff6cc", outline=BLUE, width=5
        )
        text_in(d, (150, y + 10, 490, y + 55), "TEM KIỂM ĐỊNH", font(30, True), fill=BLUE)
        text_in(d, (150, y + 65, 490, y + 105), "Số: 0123456", font(26))
        text_in(
            d,
            (150, y + 115, 490, y + 195),
            "Có hiệu lực đến:\n31/12/2026",
            font(26, True),
            fill=RED,
        )
        text_in(d, (150, y + 200, 490, y + 240), "(hình minh họa)", font(18), fill=GREY)
        marker(d, 120, y + 85, 1)
        marker(d, 120, y + 155, 2)
        marker(d, 520, y + 30, 3)

    sheet.add(250, stamp)
    callouts(
        sheet,
        [
            "Số tem: đối chiếu với giấy chứng nhận kiểm định",
            "Hạn hiệu lực: quá hạn thì phải kiểm định lại",
            "Tem nguyên vẹn, không rách, không tẩy xóa, dán đúng vị trí",
        ],
    )
    sheet.note("Dấu, tem kiểm định còn hiệu lực là điều kiện để dùng phương tiện đo nhóm 2.")
    return sheet.render()


def met_label() -> Image.Image:
    sheet = Sheet("Nhãn hàng đóng gói sẵn: những gì cần đọc")

    def label(d, y):
        d.rounded_rectangle(
            (110, y, 530, y + 300), radius=16, fill="#fdf3e7", outline="#8d6e63", width=5
        )
        text_in(d, (110, y + 12, 530, y + 60), "ĐƯỜNG KÍNH TRẮNG", font(30, True), fill="#8d6e63")
        text_in(d, (110, y + 70, 530, y + 115), "Khối lượng tịnh: 1 kg", font(28, True))
        text_in(
            d,
            (130, y + 125, 510, y + 205),
            "Sản xuất tại: HTX Nông nghiệp Thông Nông, Cao Bằng",
            font(20),
        )
        text_in(d, (110, y + 215, 530, y + 290), "NSX: 05/03/2025\nHSD: 05/03/2027", font(22))
        for number, my in ((1, 36), (2, 92), (3, 165), (4, 252)):
            marker(d, 78, y + my, number)

    sheet.add(300, label)
    callouts(
        sheet,
        [
            "Tên hàng hóa",
            "Lượng danh định: con số và đơn vị đo hợp pháp (kg, g, l, ml)",
            "Tên, địa chỉ tổ chức, cá nhân chịu trách nhiệm",
            "Ngày sản xuất, hạn sử dụng",
        ],
    )
    sheet.note("Lượng thực trung bình của lô hàng không được nhỏ hơn lượng danh định.")
    return sheet.render()


def met_check_flow() -> Image.Image:
    return flow(
        "Kiểm tra một chiếc cân tại chợ",
        [
            "Xem tem, hạn kiểm định",
            "Kiểm tra niêm phong, đưa cân về số 0",
            "Cân thử bằng quả cân chuẩn",
            "Ghi kết quả; sai quá giới hạn thì lập biên bản",
        ],
        "Làm trước mặt chủ hộ kinh doanh; ghi rõ thời gian, địa điểm, người chứng kiến.",
    )


def ip_forms() -> Image.Image:
    sheet = Sheet("Ba hình thức bảo hộ cho sản phẩm địa phương")
    rows = [
        (
            "Nhãn hiệu",
            BLUE,
            "Của một doanh nghiệp, hợp tác xã, hộ kinh doanh. Phân biệt hàng "
            "của chủ này với chủ khác. Hiệu lực 10 năm, gia hạn được.",
        ),
        (
            "Nhãn hiệu tập thể",
            GREEN,
            "Của hội, hiệp hội, hợp tác xã. Thành viên dùng theo quy chế sử dụng chung.",
        ),
        (
            "Chỉ dẫn địa lý",
            RED,
            "Nhà nước là chủ sở hữu. Chất lượng, danh tiếng gắn với điều "
            "kiện địa lý của vùng. Hiệu lực vô thời hạn.",
        ),
    ]
    for head, color, text in rows:
        h = text_height(sheet.probe, text, font(SMALL), W - 40) + 70

        def paint(d, y, head=head, color=color, text=text, h=h):
            d.rounded_rectangle(
                (20, y, W - 20, y + h), radius=12, fill=LIGHT, outline=color, width=3
            )
            d.rounded_rectangle((20, y, W - 20, y + 48), radius=12, fill=color)
            text_in(d, (20, y, W - 20, y + 48), head, font(BODY, True), fill="white")
            text_in(
                d, (20, y + 52, W - 20, y + h - 4), text, font(SMALL), align="left", valign="top"
            )

        sheet.add(h, paint)
    sheet.note("Căn cứ: Luật Sở hữu trí tuệ 2005, sửa đổi, bổ sung 2009, 2019, 2022.")
    return sheet.render()


def ip_timeline() -> Image.Image:
    return flow(
        "Đơn đăng ký nhãn hiệu đi qua những bước nào",
        [
            "Nộp đơn",
            "Thẩm định hình thức: 1 tháng",
            "Công bố đơn: trong 2 tháng",
            "Thẩm định nội dung: không quá 9 tháng",
            "Cấp văn bằng bảo hộ",
        ],
        "Thời hạn theo Luật Sở hữu trí tuệ; chưa kể thời gian người nộp đơn sửa đổi, bổ sung.",
    )


def ip_fake() -> Image.Image:
    sheet = Sheet("Nhãn thật và nhãn nghi xâm phạm (ví dụ giả định)")
    labels = [
        (
            "Hàng thật",
            "MẬT ONG\nTHÔNG NÔNG",
            "Nhãn hiệu tập thể ®\nHTX Ong mật Thông Nông\nCó tem truy xuất",
            GREEN,
        ),
        (
            "Nghi xâm phạm",
            "MẬT ONG\nTHÔNG NONG",
            "Không có tên cơ sở sản xuất\nKhông có tem truy xuất\nGiá rẻ bất thường",
            RED,
        ),
    ]

    def paint(d, y):
        for i, (head, name, lines, color) in enumerate(labels):
            x0 = 20 + i * 310
            text_in(d, (x0, y, x0 + 290, y + 40), head, font(BODY, True), fill=color)
            d.rounded_rectangle(
                (x0, y + 46, x0 + 290, y + 390), radius=16, fill="#fff8e1", outline=color, width=5
            )
            text_in(d, (x0, y + 60, x0 + 290, y + 150), name, font(30, True), fill="#8d6e63")
            text_in(d, (x0 + 4, y + 160, x0 + 286, y + 385), lines, font(SMALL))

    sheet.add(390, paint)
    sheet.note("Tên gần giống, cùng loại hàng, dễ gây nhầm lẫn: dấu hiệu xâm phạm cần xác minh.")
    return sheet.render()


def trefoil(draw, cx, cy, r, fill=INK):
    """The radiation warning trefoil: a centre disc and three 60° blades."""
    r0 = r / 5
    for start in (-120, 0, 120):
        draw.pieslice((cx - r, cy - r, cx + r, cy + r), start - 30 + 90, start + 30 + 90, fill=fill)
    draw.ellipse((cx - 1.5 * r0, cy - 1.5 * r0, cx + 1.5 * r0, cy + 1.5 * r0), fill=YELLOW)
    draw.ellipse((cx - r0, cy - r0, cx + r0, cy + r0), fill=fill)


def rad_sign() -> Image.Image:
    sheet = Sheet("Biển cảnh báo bức xạ: nhận biết và làm theo")

    def sign(d, y):
        d.rectangle((170, y, 470, y + 300), fill=YELLOW, outline=INK, width=5)
        trefoil(d, 320, y + 120, 100)
        text_in(d, (170, y + 235, 470, y + 295), "CẢNH BÁO BỨC XẠ", font(26, True))

    sheet.add(300, sign)
    callouts(
        sheet,
        [
            "Gặp ở: cửa phòng X-quang, thiết bị đo công nghiệp, kho chứa nguồn phóng xạ.",
            "Đèn đỏ trên cửa sáng: đang phát tia, không mở cửa, không đi vào.",
            "Thấy biểu tượng này trên vật lạ, phế liệu: không chạm, báo ngay cho UBND xã.",
        ],
    )
    sheet.note("Ba cánh quạt đen trên nền vàng là ký hiệu quốc tế về bức xạ.")
    return sheet.render()


def rad_room() -> Image.Image:
    sheet = Sheet("Sơ đồ một phòng X-quang chẩn đoán đạt yêu cầu")

    def plan(d, y):
        d.rectangle((70, y, 600, y + 320), outline=INK, width=12)  # shielded walls
        d.ellipse((230, y + 40, 300, y + 110), fill=GREY)
        text_in(d, (305, y + 45, 470, y + 105), "Bóng phát tia X", font(SMALL), align="left")
        d.rectangle((150, y + 125, 380, y + 185), fill=LIGHT, outline=BLUE, width=3)
        text_in(d, (150, y + 125, 380, y + 185), "Bàn chụp", font(BODY, True))
        d.rectangle((440, y + 180, 594, y + 314), fill="#d9ead3", outline=GREEN, width=4)
        text_in(d, (440, y + 180, 594, y + 314), "Buồng điều khiển", font(SMALL, True))
        d.rectangle((64, y + 220, 76, y + 300), fill="white")  # the door
        text_in(d, (80, y + 235, 180, y + 285), "Cửa", font(SMALL))
        d.ellipse((30, y + 190, 58, y + 218), fill=RED)  # the warning lamp
        marker(d, 40, y + 60, 1)
        marker(d, 40, y + 150, 2)
        marker(d, 517, y + 150, 3)
        marker(d, 420, y + 250, 4)

    sheet.add(320, plan)
    callouts(
        sheet,
        [
            "Tường, cửa được che chắn (chì, bê tông, barit)",
            "Đèn đỏ và biển cảnh báo ở cửa ra vào",
            "Nhân viên ở buồng điều khiển có tấm chắn, đeo liều kế cá nhân",
            "Tạp dề chì cho người bệnh và người giúp đỡ",
        ],
    )
    sheet.note(
        "Hình minh họa; thiết kế che chắn thực tế do cơ sở lập và được thẩm định khi cấp phép."
    )
    return sheet.render()


def rad_response() -> Image.Image:
    return flow(
        "Gặp vật nghi là nguồn phóng xạ: 4 việc cần làm",
        [
            "Không chạm, không nhặt, không mở",
            "Tránh xa, khoanh vùng, giữ người dân ngoài",
            "Báo cáo ngay UBND xã, Sở KH&CN, công an",
            "Chờ lực lượng chuyên môn xử lý",
        ],
        "Khoảng cách là cách bảo vệ tốt nhất: càng xa nguồn, liều chiếu càng giảm mạnh.",
        colors=["#fde7e9", "#fff3cd", LIGHT, "#d9ead3"],
    )


def rf_bands() -> Image.Image:
    sheet = Sheet("Một số dải tần thường gặp ở địa phương")
    bands = [
        ("3–30 MHz (HF)", "Tàu cá đánh bắt xa bờ"),
        ("87–108 MHz", "Phát thanh FM, đài truyền thanh xã"),
        ("156–162 MHz", "VHF hàng hải"),
        ("700 MHz–2,6 GHz", "Thông tin di động"),
        ("2,4 GHz và 5 GHz", "Wi-Fi, Bluetooth: miễn giấy phép"),
    ]

    def paint(d, y):
        d.rectangle((30, y, 62, y + 5 * 86 - 16), fill=LIGHT, outline=BLUE, width=3)
        arrow_down(d, 46, y + 5 * 86 - 10, y + 5 * 86 + 14)
        for i, (freq, use) in enumerate(bands):
            top = y + i * 86
            d.line((30, top + 35, 90, top + 35), fill=RED, width=5)
            box(
                d,
                (96, top, W - 20, top + 70),
                f"{freq}: {use}",
                font(SMALL),
                fill="white",
                outline=GREY,
                align="left",
            )

    sheet.add(5 * 86 + 14, paint)
    sheet.note(
        "Tần số tăng dần từ trên xuống. Hình đơn giản hóa; quy hoạch phổ tần số quốc "
        "gia quy định chi tiết từng băng tần."
    )
    return sheet.render()


def rf_interference() -> Image.Image:
    return flow(
        "Tiếp nhận và xử lý phản ánh can nhiễu",
        [
            "Tiếp nhận phản ánh",
            "Ghi: thời gian, tần số, vị trí, hiện tượng",
            "Báo Trung tâm Tần số vô tuyến điện khu vực",
            "Phối hợp kiểm tra, tìm nguồn nhiễu",
            "Thông báo kết quả cho người phản ánh",
        ],
        "Không tự ý thu giữ hay tắt thiết bị của người khác khi chưa có kết luận của cơ quan "
        "có thẩm quyền.",
    )


DIAGRAMS = {
    "met-phuong-tien-do-nhom-2.png": met_instruments,
    "met-tem-kiem-dinh.png": met_stamp,
    "met-nhan-hang-dong-goi.png": met_label,
    "met-quy-trinh-kiem-tra-can.png": met_check_flow,
    "ip-ba-hinh-thuc-bao-ho.png": ip_forms,
    "ip-quy-trinh-dang-ky-nhan-hieu.png": ip_timeline,
    "ip-nhan-that-nhan-gia.png": ip_fake,
    "rad-bien-canh-bao.png": rad_sign,
    "rad-phong-x-quang.png": rad_room,
    "rad-ung-pho-nguon-vo-chu.png": rad_response,
    "rf-dai-tan-so.png": rf_bands,
    "rf-xu-ly-can-nhieu.png": rf_interference,
}


# --- the narrated slideshows -----------------------------------------------------------------

VS = (640, 360)

# name → (title, slides, narration); the narration is also the transcript in the lesson
VIDEOS_SPEC = {
    "met-kiem-tra-can": (
        "Kiểm tra nhanh một chiếc cân",
        [
            "Xem tem và hạn kiểm định",
            "Cân thử bằng quả cân chuẩn",
            "Sai quá giới hạn: lập biên bản",
        ],
        "Kiểm tra nhanh một chiếc cân. Một, xem tem và hạn kiểm định. Hai, cân thử bằng quả "
        "cân chuẩn. Ba, sai quá giới hạn thì lập biên bản.",
    ),
    "ip-bao-ho-nhan-hieu": (
        "Bảo hộ nhãn hiệu cho sản phẩm OCOP",
        [
            "Tra cứu trước khi nộp đơn",
            "Chuẩn bị hồ sơ, nộp đơn",
            "Dùng nhãn hiệu đúng như đã đăng ký",
        ],
        "Bảo hộ nhãn hiệu cho sản phẩm địa phương. Một, tra cứu trước khi nộp đơn. Hai, chuẩn "
        "bị hồ sơ và nộp đơn. Ba, dùng nhãn hiệu đúng như đã đăng ký.",
    ),
    "rad-nguon-vo-chu": (
        "Gặp vật nghi là nguồn phóng xạ",
        ["Không chạm, không nhặt", "Tránh xa, khoanh vùng", "Báo cáo ngay"],
        "Gặp vật nghi là nguồn phóng xạ. Một, không chạm, không nhặt. Hai, tránh xa và khoanh "
        "vùng. Ba, báo cáo ngay cho ủy ban xã.",
    ),
    "rf-can-nhieu": (
        "Tiếp nhận phản ánh can nhiễu",
        ["Ghi thời gian, vị trí, hiện tượng", "Báo Trung tâm Tần số khu vực", "Phối hợp kiểm tra"],
        "Tiếp nhận phản ánh can nhiễu. Một, ghi thời gian, vị trí và hiện tượng. Hai, báo trung "
        "tâm tần số khu vực. Ba, phối hợp kiểm tra.",
    ),
}


def slide(title: str, step: int, text: str) -> Image.Image:
    img = Image.new("RGB", VS, "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, VS[0], 56], fill=BLUE)
    text_in(draw, (0, 0, VS[0], 56), title, font(24, True), fill="white")
    draw.ellipse((VS[0] / 2 - 45, 80, VS[0] / 2 + 45, 170), fill=YELLOW)
    text_in(draw, (VS[0] / 2 - 45, 80, VS[0] / 2 + 45, 170), str(step), font(54, True))
    text_in(draw, (30, 190, VS[0] - 30, 330), text, font(34, True), fill=BLUE)
    return img


def run(*args: str) -> None:
    # fixed tool names and arguments built here, run by a developer on their own machine
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603


def duration(path: Path) -> float:
    args = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
    # as in run(): a fixed tool and arguments
    out = subprocess.run([*args, str(path)], check=True, capture_output=True, text=True)  # noqa: S603, S607
    return float(out.stdout)


def build_video(name: str, title: str, slides: list[str], narration: str, tmp: Path) -> None:
    wav = tmp / f"{name}.wav"
    run("espeak-ng", "-v", "vi", "-s", "175", "-w", str(wav), narration)
    total = duration(wav) + 0.4
    inputs: list[str] = []
    for i, text in enumerate(slides, start=1):
        img = slide(title, i, text)
        png = tmp / f"{name}-{i}.png"
        img.save(png)
        if i == 1:  # the poster: the first slide, as a lesson image
            save_png(img, f"{name}-poster.png")
        inputs += [
            "-loop",
            "1",
            "-framerate",
            "5",
            "-t",
            f"{total / len(slides):.2f}",
            "-i",
            str(png),
        ]
    concat = "".join(f"[{i}:v]" for i in range(len(slides)))
    mp4 = VIDEOS / f"{name}.mp4"
    run(
        "ffmpeg",
        "-y",
        "-v",
        "error",
        *inputs,
        "-i",
        str(wav),
        "-filter_complex",
        f"{concat}concat=n={len(slides)}:v=1:a=0,format=yuv420p[v]",
        "-map",
        "[v]",
        "-map",
        f"{len(slides)}:a",
        "-c:v",
        "libx264",
        "-preset",
        "veryslow",
        "-tune",
        "stillimage",
        "-crf",
        "32",
        "-r",
        "5",
        "-c:a",
        "aac",
        "-b:a",
        "24k",
        "-ac",
        "1",
        "-ar",
        "22050",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-movflags",
        "+faststart",
        str(mp4),
    )
    assert mp4.stat().st_size <= MAX_VIDEO_BYTES, f"{mp4.name} is {mp4.stat().st_size} bytes"
    run(
        "ffmpeg",
        "-y",
        "-v",
        "error",
        "-i",
        str(wav),
        "-c:a",
        "libmp3lame",
        "-b:a",
        "16k",
        "-ar",
        "22050",
        "-ac",
        "1",
        "-map_metadata",
        "-1",
        str(AUDIO / f"{name}.mp3"),
    )


# --- the reference PDFs ----------------------------------------------------------------------

DISCLAIMER = (
    "Tài liệu tóm tắt phục vụ học tập trong hệ thống bồi dưỡng; không thay thế văn bản gốc. "
    "Khi xử lý hồ sơ, luôn tra cứu văn bản còn hiệu lực trên Cơ sở dữ liệu quốc gia về văn "
    "bản pháp luật."
)

# file → (title, [(heading, [lines])]); a line starting with "□ " is a tick box
PDFS = {
    "met-van-ban-do-luong.pdf": (
        "Văn bản pháp luật về đo lường dùng ở cấp xã",
        [
            (
                "Luật",
                [
                    "Luật Đo lường số 04/2011/QH13, có hiệu lực từ ngày 01/7/2012: phương "
                    "tiện đo, chuẩn đo lường, phép đo, lượng của hàng đóng gói sẵn; trách "
                    "nhiệm của Ủy ban nhân dân các cấp trong quản lý nhà nước về đo lường."
                ],
            ),
            (
                "Nghị định",
                [
                    "Nghị định số 86/2012/NĐ-CP quy định chi tiết và hướng dẫn thi "
                    "hành một số điều của Luật Đo lường.",
                    "Nghị định số 119/2017/NĐ-CP quy định xử phạt vi phạm hành chính "
                    "trong lĩnh vực tiêu chuẩn, đo lường và chất lượng sản phẩm, hàng "
                    "hóa, được sửa đổi, bổ sung bởi Nghị định số 126/2021/NĐ-CP.",
                ],
            ),
            (
                "Thông tư",
                [
                    "Thông tư số 23/2013/TT-BKHCN quy định về đo lường đối với phương "
                    "tiện đo nhóm 2, được sửa đổi, bổ sung bởi Thông tư số "
                    "07/2019/TT-BKHCN.",
                    "Thông tư số 21/2014/TT-BKHCN quy định về đo lường đối với lượng "
                    "của hàng đóng gói sẵn.",
                ],
            ),
            (
                "Việc của cán bộ cấp xã",
                [
                    "Nắm danh sách cơ sở dùng phương tiện đo nhóm 2 "
                    "trên địa bàn (chợ, cửa hàng xăng dầu, cơ sở kinh "
                    "doanh).",
                    "Tuyên truyền, nhắc kiểm định đúng hạn; phối hợp "
                    "kiểm tra; lập biên bản và xử lý hoặc chuyển hồ sơ "
                    "theo thẩm quyền.",
                ],
            ),
        ],
    ),
    "met-bien-ban-kiem-tra-can.pdf": (
        "Biên bản kiểm tra phương tiện đo (mẫu tham khảo dùng trong lớp học)",
        [
            (
                "Thông tin chung",
                [
                    "Thời gian: ....... giờ ....... ngày ....../....../20......",
                    "Địa điểm: ......................................................",
                    "Đoàn kiểm tra gồm: ..............................................",
                    "Cơ sở được kiểm tra: ............................................",
                    "Người đại diện: ..................................................",
                ],
            ),
            (
                "Kết quả kiểm tra",
                [
                    "Tên phương tiện đo, kiểu, số hiệu: ........................",
                    "□ Có tem kiểm định  □ Còn hạn  □ Tem nguyên vẹn",
                    "Quả cân chuẩn dùng để cân thử: ............ kg",
                    "Số chỉ của cân: ............ kg; sai lệch: ............ g",
                    "□ Trong giới hạn cho phép  □ Vượt giới hạn cho phép",
                ],
            ),
            (
                "Ý kiến và ký tên",
                [
                    "Ý kiến của cơ sở: ..................................................",
                    "Biên bản lập thành ...... bản, đã đọc lại cho mọi người "
                    "cùng nghe và ký tên dưới đây.",
                    "Đại diện cơ sở          Người chứng kiến          Người lập biên bản",
                ],
            ),
        ],
    ),
    "ip-van-ban-so-huu-tri-tue.pdf": (
        "Văn bản pháp luật về sở hữu công nghiệp cho sản phẩm địa phương",
        [
            (
                "Luật",
                [
                    "Luật Sở hữu trí tuệ số 50/2005/QH11, được sửa đổi, bổ sung bởi Luật "
                    "số 36/2009/QH12, Luật số 42/2019/QH14 và Luật số 07/2022/QH15."
                ],
            ),
            (
                "Nghị định",
                [
                    "Nghị định số 65/2023/NĐ-CP quy định chi tiết Luật Sở hữu trí tuệ "
                    "về sở hữu công nghiệp, bảo vệ quyền sở hữu công nghiệp.",
                    "Nghị định số 99/2013/NĐ-CP quy định xử phạt vi phạm hành chính "
                    "trong lĩnh vực sở hữu công nghiệp, được sửa đổi, bổ sung bởi Nghị "
                    "định số 126/2021/NĐ-CP.",
                ],
            ),
            (
                "Chương trình OCOP",
                [
                    "Quyết định số 919/QĐ-TTg năm 2022 phê duyệt Chương trình "
                    "mỗi xã một sản phẩm giai đoạn 2021–2025.",
                    "Quyết định số 148/QĐ-TTg năm 2023 ban hành Bộ tiêu chí và "
                    "quy trình đánh giá, phân hạng sản phẩm OCOP.",
                ],
            ),
            (
                "Việc của cán bộ cấp xã",
                [
                    "Hướng dẫn chủ thể OCOP, hợp tác xã đăng ký nhãn "
                    "hiệu; hỗ trợ xây dựng quy chế sử dụng nhãn hiệu tập "
                    "thể; tiếp nhận phản ánh, phối hợp kiểm tra hàng hóa "
                    "nghi xâm phạm."
                ],
            ),
        ],
    ),
    "ip-ho-so-dang-ky-nhan-hieu.pdf": (
        "Danh mục hồ sơ đăng ký nhãn hiệu (để đối chiếu khi hướng dẫn)",
        [
            (
                "Mọi đơn đăng ký nhãn hiệu",
                [
                    "□ Tờ khai đăng ký nhãn hiệu theo mẫu hiện hành",
                    "□ Mẫu nhãn hiệu (đúng kích thước, màu sắc sẽ dùng)",
                    "□ Danh mục hàng hóa, dịch vụ, xếp nhóm theo Bảng phân loại quốc tế Nice",
                    "□ Chứng từ nộp phí, lệ phí",
                    "□ Giấy ủy quyền, nếu nộp đơn qua đại diện",
                ],
            ),
            (
                "Thêm cho nhãn hiệu tập thể",
                [
                    "□ Quy chế sử dụng nhãn hiệu tập thể",
                    "□ Văn bản cho phép sử dụng địa danh, nếu nhãn "
                    "hiệu chứa địa danh hoặc dấu hiệu chỉ nguồn gốc "
                    "địa lý của đặc sản địa phương",
                ],
            ),
            (
                "Trước khi nộp",
                [
                    "□ Đã tra cứu nhãn hiệu trùng hoặc tương tự",
                    "□ Tên người nộp đơn khớp giấy đăng ký kinh doanh, hợp tác xã",
                    "□ Giữ bản sao hồ sơ và biên nhận",
                ],
            ),
        ],
    ),
    "rad-van-ban-nang-luong-nguyen-tu.pdf": (
        "Văn bản pháp luật về an toàn bức xạ dùng ở cấp xã",
        [
            (
                "Luật",
                [
                    "Luật Năng lượng nguyên tử số 18/2008/QH12: an toàn bức xạ, giấy phép "
                    "tiến hành công việc bức xạ, ứng phó sự cố bức xạ, hạt nhân.",
                    "Quốc hội đã thông qua Luật Năng lượng nguyên tử (sửa đổi) năm 2025; "
                    "cần tra cứu ngày hiệu lực và văn bản hướng dẫn mới khi áp dụng.",
                ],
            ),
            (
                "Nghị định, thông tư",
                [
                    "Nghị định số 142/2020/NĐ-CP quy định về việc tiến "
                    "hành công việc bức xạ và hoạt động dịch vụ hỗ trợ ứng "
                    "dụng năng lượng nguyên tử.",
                    "Thông tư số 13/2018/TT-BKHCN quy định về bảo đảm an toàn bức xạ trong y tế.",
                    "Thông tư số 25/2014/TT-BKHCN quy định việc chuẩn bị ứng "
                    "phó và ứng phó sự cố bức xạ, hạt nhân.",
                    "Nghị định số 107/2013/NĐ-CP quy định xử phạt vi phạm "
                    "hành chính trong lĩnh vực năng lượng nguyên tử và các "
                    "văn bản sửa đổi, bổ sung.",
                ],
            ),
            (
                "Việc của cán bộ cấp xã",
                [
                    "Nắm danh sách cơ sở có thiết bị X-quang, nguồn "
                    "phóng xạ trên địa bàn; phối hợp kiểm tra; tiếp nhận "
                    "và báo cáo ngay thông tin về sự cố, nguồn vô chủ."
                ],
            ),
        ],
    ),
    "rad-bao-cao-nhanh-su-co.pdf": (
        "Báo cáo nhanh sự cố bức xạ (mẫu tham khảo dùng trong lớp học)",
        [
            (
                "Người báo cáo",
                [
                    "Họ tên, chức vụ: .................................................",
                    "Đơn vị: ............................ Điện thoại: ..........................",
                ],
            ),
            (
                "Sự việc",
                [
                    "Thời điểm phát hiện: ....... giờ ....... ngày ....../....../20......",
                    "Địa điểm (thôn, tổ dân phố, tọa độ nếu có): ....................",
                    "Mô tả vật, thiết bị (hình dạng, ký hiệu, nhãn): ................",
                    "□ Có biểu tượng bức xạ  □ Có người đã chạm vào  □ Đã khoanh vùng",
                    "Số người có thể bị ảnh hưởng: ............",
                ],
            ),
            (
                "Đã làm gì",
                [
                    "Biện pháp đã thực hiện: ..........................................",
                    "Đã báo: □ Chủ tịch UBND xã  □ Sở Khoa học và Công nghệ  □ Công an",
                    "Người giữ hiện trường: .......................................",
                ],
            ),
        ],
    ),
    "rf-van-ban-tan-so.pdf": (
        "Văn bản pháp luật về tần số vô tuyến điện dùng ở cấp xã",
        [
            (
                "Luật",
                [
                    "Luật Tần số vô tuyến điện số 42/2009/QH12, được sửa đổi, bổ sung bởi "
                    "Luật số 09/2022/QH15: quy hoạch, cấp phép, sử dụng tần số và thiết bị "
                    "vô tuyến điện, xử lý can nhiễu."
                ],
            ),
            (
                "Nghị định, thông tư",
                [
                    "Nghị định số 63/2023/NĐ-CP quy định chi tiết một số "
                    "điều và biện pháp thi hành Luật Tần số vô tuyến điện.",
                    "Thông tư số 08/2021/TT-BTTTT quy định danh mục thiết bị "
                    "vô tuyến điện được miễn giấy phép sử dụng tần số và điều "
                    "kiện kỹ thuật, khai thác kèm theo.",
                    "Nghị định số 15/2020/NĐ-CP quy định xử phạt vi phạm hành "
                    "chính trong lĩnh vực bưu chính, viễn thông, tần số vô "
                    "tuyến điện, công nghệ thông tin và giao dịch điện tử, "
                    "được sửa đổi, bổ sung bởi Nghị định số 14/2022/NĐ-CP.",
                ],
            ),
            (
                "Việc của cán bộ cấp xã",
                [
                    "Tiếp nhận phản ánh can nhiễu, ghi đủ thông tin và "
                    "báo Trung tâm Tần số vô tuyến điện khu vực; nhắc đài "
                    "truyền thanh, tàu cá, người dùng thiết bị vô tuyến "
                    "điện giữ giấy phép còn hạn."
                ],
            ),
        ],
    ),
    "rf-phieu-tiep-nhan-can-nhieu.pdf": (
        "Phiếu tiếp nhận phản ánh can nhiễu tần số (mẫu tham khảo)",
        [
            (
                "Người phản ánh",
                [
                    "Họ tên: ................................ Điện thoại: ..................",
                    "Địa chỉ: .........................................................",
                ],
            ),
            (
                "Hiện tượng",
                [
                    "□ Mất sóng điện thoại  □ Nhiễu truyền hình, phát thanh",
                    "□ Nhiễu thiết bị liên lạc tàu cá  □ Nhiễu Wi-Fi  □ Khác: ........",
                    "Bắt đầu từ: ....../....../20......; giờ hay xảy ra: ...............",
                    "Kênh hoặc tần số bị nhiễu (nếu biết): ...........................",
                    "Vị trí bị nhiễu (thôn, tọa độ): ..................................",
                    "Thiết bị mới lắp gần đó (nếu thấy): ...............................",
                ],
            ),
            (
                "Xử lý",
                [
                    "Ngày báo Trung tâm Tần số vô tuyến điện khu vực: ....../....../20......",
                    "Người tiếp nhận ở Trung tâm: ....................................",
                    "Kết quả, ngày báo lại người phản ánh: ............................",
                ],
            ),
        ],
    ),
}


def pdf_html(title: str, sections) -> str:
    regular, bold = (FONTS / "DejaVuSans.ttf").as_posix(), (FONTS / "DejaVuSans-Bold.ttf")
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "DocSans"; src: url("{regular}"); }}'
        f'@font-face {{ font-family: "DocSans"; src: url("{bold.as_posix()}"); '
        "font-weight: bold; }"
        "@page { size: a4; margin: 2cm; }"
        'body { font-family: "DocSans"; font-size: 11pt; color: #1b1f23; }'
        "h1 { font-size: 16pt; color: #0b5394; } h2 { font-size: 12pt; margin-top: 10pt; }"
        "p { margin: 0 0 5pt 0; } .small { font-size: 8.5pt; color: #5f6368; }"
        "</style></head><body>",
        "<p class='small'>Hệ thống bồi dưỡng năng lực KH&amp;CN cấp xã · Dữ liệu minh họa</p>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, lines in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts += [f"<p>{html.escape(line)}</p>" for line in lines]
    parts.append(f"<p class='small'>{html.escape(DISCLAIMER)}</p></body></html>")
    return "".join(parts)


def build_pdfs() -> None:
    sys.path.insert(0, str(ROOT))
    from lms.pdf import html_to_pdf

    for name, (title, sections) in PDFS.items():
        (DOCS / name).write_bytes(html_to_pdf(pdf_html(title, sections)))


def main() -> None:
    for folder in (IMAGES, VIDEOS, AUDIO, DOCS):
        folder.mkdir(exist_ok=True)
    for name, draw_it in DIAGRAMS.items():
        save_png(draw_it(), name)
    build_pdfs()
    if not (shutil.which("ffmpeg") and shutil.which("espeak-ng")):
        sys.exit(
            "ffmpeg and espeak-ng are needed for the videos: apt-get install -y ffmpeg espeak-ng"
        )
    with tempfile.TemporaryDirectory() as tmp:
        for name, (title, slides, narration) in VIDEOS_SPEC.items():
            build_video(name, title, slides, narration, Path(tmp))
    for folder in (IMAGES, VIDEOS, AUDIO, DOCS):
        for path in sorted(folder.iterdir()):
            print(f"{path.relative_to(HERE)}\t{path.stat().st_size}")


if __name__ == "__main__":
    main()
