"""The four demo courses, one per core domain, in Vietnamese: what a commune officer needs for
standards-metrology-quality, industrial property, radiation safety and radio frequencies.

Lesson bodies are StreamField raw data using every lesson block. Images, PDFs, the videos and
their audio versions are small files committed in `assets/` (built by
`assets/build.py`), loaded as Wagtail images and documents keyed by title.

Seeding is an upsert: a page missing is created, a page the seed wrote before is brought up to
date when this file changes, and a page a person has edited in the admin (its latest revision
has a user) is left alone, so running `make run` again never undoes a trainer's work.

Legal references name the documents as they are commonly cited; article numbers are given only
where they are well known. Every summary PDF says it does not replace the original text.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from courses.models import CourseCompetency, CoursePage, LessonPage, ModulePage

ASSETS = Path(__file__).resolve().parent / "assets"


@dataclass(frozen=True)
class Ref:
    """A committed asset, replaced by its Wagtail id when a lesson is seeded."""

    kind: str  # "image" or "document"
    key: str


# key → title; the file is assets/images/<key>.png
IMAGES = {
    "met-phuong-tien-do-nhom-2": "Sơ đồ: phương tiện đo nhóm 2 thường gặp ở xã",
    "met-tem-kiem-dinh": "Hình minh họa: đọc tem kiểm định",
    "met-quy-trinh-kiem-tra-can": "Sơ đồ: 4 bước kiểm tra cân tại chợ",
    "met-nhan-hang-dong-goi": "Hình minh họa: nhãn hàng đóng gói sẵn",
    "met-kiem-tra-can-poster": "Ảnh bìa video: kiểm tra nhanh một chiếc cân",
    "ip-ba-hinh-thuc-bao-ho": "Sơ đồ: nhãn hiệu, nhãn hiệu tập thể, chỉ dẫn địa lý",
    "ip-quy-trinh-dang-ky-nhan-hieu": "Sơ đồ: các bước xử lý đơn đăng ký nhãn hiệu",
    "ip-nhan-that-nhan-gia": "Hình minh họa: nhãn thật và nhãn nghi xâm phạm",
    "ip-bao-ho-nhan-hieu-poster": "Ảnh bìa video: bảo hộ nhãn hiệu cho sản phẩm OCOP",
    "rad-bien-canh-bao": "Hình minh họa: biển cảnh báo bức xạ",
    "rad-phong-x-quang": "Sơ đồ: phòng X-quang chẩn đoán",
    "rad-ung-pho-nguon-vo-chu": "Sơ đồ: 4 việc khi gặp vật nghi là nguồn phóng xạ",
    "rad-nguon-vo-chu-poster": "Ảnh bìa video: gặp vật nghi là nguồn phóng xạ",
    "rf-dai-tan-so": "Sơ đồ: một số dải tần thường gặp ở địa phương",
    "rf-xu-ly-can-nhieu": "Sơ đồ: tiếp nhận và xử lý phản ánh can nhiễu",
    "rf-can-nhieu-poster": "Ảnh bìa video: tiếp nhận phản ánh can nhiễu",
}

# key → (file under assets/, title)
DOCUMENTS = {
    "met-van-ban": ("docs/met-van-ban-do-luong.pdf", "Tóm tắt văn bản pháp luật về đo lường"),
    "met-bien-ban": (
        "docs/met-bien-ban-kiem-tra-can.pdf",
        "Mẫu biên bản kiểm tra phương tiện đo (tham khảo)",
    ),
    "met-video": ("videos/met-kiem-tra-can.mp4", "Video: kiểm tra nhanh một chiếc cân"),
    "met-audio": ("audio/met-kiem-tra-can.mp3", "Âm thanh: kiểm tra nhanh một chiếc cân"),
    "ip-van-ban": (
        "docs/ip-van-ban-so-huu-tri-tue.pdf",
        "Tóm tắt văn bản pháp luật về sở hữu công nghiệp",
    ),
    "ip-ho-so": (
        "docs/ip-ho-so-dang-ky-nhan-hieu.pdf",
        "Danh mục hồ sơ đăng ký nhãn hiệu",
    ),
    "ip-video": ("videos/ip-bao-ho-nhan-hieu.mp4", "Video: bảo hộ nhãn hiệu cho sản phẩm OCOP"),
    "ip-audio": ("audio/ip-bao-ho-nhan-hieu.mp3", "Âm thanh: bảo hộ nhãn hiệu cho sản phẩm OCOP"),
    "rad-van-ban": (
        "docs/rad-van-ban-nang-luong-nguyen-tu.pdf",
        "Tóm tắt văn bản pháp luật về an toàn bức xạ",
    ),
    "rad-bao-cao": (
        "docs/rad-bao-cao-nhanh-su-co.pdf",
        "Mẫu báo cáo nhanh sự cố bức xạ (tham khảo)",
    ),
    "rad-video": ("videos/rad-nguon-vo-chu.mp4", "Video: gặp vật nghi là nguồn phóng xạ"),
    "rad-audio": ("audio/rad-nguon-vo-chu.mp3", "Âm thanh: gặp vật nghi là nguồn phóng xạ"),
    "rf-van-ban": (
        "docs/rf-van-ban-tan-so.pdf",
        "Tóm tắt văn bản pháp luật về tần số vô tuyến điện",
    ),
    "rf-phieu": (
        "docs/rf-phieu-tiep-nhan-can-nhieu.pdf",
        "Phiếu tiếp nhận phản ánh can nhiễu (tham khảo)",
    ),
    "rf-video": ("videos/rf-can-nhieu.mp4", "Video: tiếp nhận phản ánh can nhiễu"),
    "rf-audio": ("audio/rf-can-nhieu.mp3", "Âm thanh: tiếp nhận phản ánh can nhiễu"),
}


# --- block builders (raw StreamField data) ---------------------------------------------------


def para(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def image(key: str, alt: str) -> dict:
    return {
        "type": "image",
        "value": {"image": Ref("image", key), "alt_text": alt, "decorative": False},
    }


def callout(kind: str, html: str, document: str | None = None, article: str = "") -> dict:
    return {
        "type": "callout",
        "value": {
            "kind": kind,
            "text": html,
            "document": Ref("document", document) if document else None,
            "article": article,
        },
    }


def tip(html: str) -> dict:
    return callout("tip", html)


def mistake(html: str) -> dict:
    return callout("error", html)


def legal(html: str, document: str, article: str = "") -> dict:
    return callout("legal", html, document, article)


def video(title: str, prefix: str, transcript: str) -> dict:
    return {
        "type": "video",
        "value": {
            "title": title,
            "video": Ref("document", f"{prefix}-video"),
            "transcript": transcript,
            "low_bandwidth": Ref("document", f"{prefix}-audio"),
            "poster": Ref("image", VIDEO_POSTERS[prefix]),
        },
    }


VIDEO_POSTERS = {
    "met": "met-kiem-tra-can-poster",
    "ip": "ip-bao-ho-nhan-hieu-poster",
    "rad": "rad-nguon-vo-chu-poster",
    "rf": "rf-can-nhieu-poster",
}


def document(key: str, description: str) -> dict:
    return {
        "type": "document",
        "value": {"document": Ref("document", key), "description": description},
    }


def example(title: str, situation: str, steps: list[str], result: str) -> dict:
    return {
        "type": "worked_example",
        "value": {"title": title, "situation": situation, "steps": steps, "result": result},
    }


def checklist(title: str, items: list[str]) -> dict:
    return {"type": "checklist", "value": {"title": title, "items": items}}


# the block already says "Correct." (Đúng.) before the feedback: feedback written as "Đúng: …"
# would read "Đúng. Đúng: …"
_REPEATED_VERDICT = re.compile(r"^Đúng\s*[.:,]?\s*")


def _feedback(text: str, correct: bool) -> str:
    if not correct:
        return text
    rest = _REPEATED_VERDICT.sub("", text)
    return rest[:1].upper() + rest[1:]


def practice(question: str, options: list[tuple[str, bool, str]], explanation: str = "") -> dict:
    return {
        "type": "practice_question",
        "value": {
            "question": question,
            "options": [
                {"text": text, "correct": correct, "feedback": _feedback(feedback, correct)}
                for text, correct, feedback in options
            ],
            "explanation": explanation,
        },
    }


# --- the courses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    body: list[dict]


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    lessons: list[Lesson]


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    domain: str
    hours: int
    taught: list[tuple[str, int]]  # (competency code, level rank reached)
    positions: list[str]
    lessons: list[Lesson] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)  # slugs of earlier courses


METROLOGY = Course(
    slug="do-luong-co-ban",
    title="Đo lường cơ bản cho cán bộ cấp xã",
    summary="Quản lý phương tiện đo nhóm 2 tại chợ và cơ sở kinh doanh, kiểm tra lượng hàng "
    "đóng gói sẵn, lập biên bản và xử lý vi phạm về đo lường trên địa bàn xã.",
    domain="MET",
    hours=3,
    taught=[("MET-01", 2), ("MET-02", 1)],
    positions=["XA-KHCN", "TINH-DL"],
    lessons=[
        Lesson(
            "phuong-tien-do-nhom-2",
            "Phương tiện đo nhóm 2 là gì",
            [
                para(
                    "<h2>Khái niệm</h2><p>Phương tiện đo nhóm 2 là phương tiện đo dùng để định "
                    "lượng hàng hóa, dịch vụ trong mua bán, thanh toán, bảo đảm an toàn, bảo vệ "
                    "sức khỏe cộng đồng và môi trường, trong thanh tra, kiểm tra, giám định tư "
                    "pháp và các hoạt động công vụ khác. Vì kết quả đo ảnh hưởng trực tiếp đến "
                    "quyền lợi của người dân, các phương tiện đo này phải được kiểm soát về đo "
                    "lường.</p>"
                    "<h2>Ở xã thường gặp những loại nào</h2><ul><li>Cân dùng trong mua bán ở "
                    "chợ, cửa hàng, đại lý thu mua nông sản (cân đồng hồ lò xo, cân bàn, cân "
                    "điện tử).</li><li>Cột đo xăng dầu tại cửa hàng xăng dầu.</li><li>Đồng hồ "
                    "đo nước lạnh, công tơ điện của hộ gia đình.</li><li>Taximet trên xe taxi, "
                    "phương tiện đo nồng độ cồn, phương tiện đo tốc độ của lực lượng chức "
                    "năng.</li></ul>"
                ),
                image(
                    "met-phuong-tien-do-nhom-2",
                    "Bốn ô minh họa cân dùng trong mua bán, cột đo xăng dầu, đồng hồ nước và "
                    "công tơ điện; dòng chú thích: phải kiểm định trước khi dùng và định kỳ.",
                ),
                para(
                    "<h2>Yêu cầu quản lý</h2><p>Tùy từng loại, phương tiện đo nhóm 2 phải được "
                    "<b>phê duyệt mẫu</b> trước khi sản xuất, nhập khẩu và <b>kiểm định</b> "
                    "ban đầu, định kỳ, sau sửa chữa. Chu kỳ kiểm định khác nhau theo từng loại "
                    "và được ghi trong giấy chứng nhận kiểm định hoặc trên tem. Người sử dụng "
                    "(hộ kinh doanh, doanh nghiệp) chịu trách nhiệm đưa phương tiện đo đi kiểm "
                    "định đúng hạn và giữ nguyên dấu, tem kiểm định.</p>"
                ),
                legal(
                    "<p>Luật Đo lường quy định phương tiện đo nhóm 2 và việc kiểm định; Thông tư "
                    "23/2013/TT-BKHCN (sửa đổi, bổ sung bởi Thông tư 07/2019/TT-BKHCN) quy định "
                    "cụ thể yêu cầu đo lường đối với phương tiện đo nhóm 2.</p>",
                    "met-van-ban",
                    "Luật Đo lường số 04/2011/QH13",
                ),
                tip(
                    "<p>Lập một bảng theo dõi đơn giản các cơ sở trên địa bàn dùng phương tiện đo "
                    "nhóm 2 (tên cơ sở, loại phương tiện, số tem, hạn kiểm định). Trước hạn một "
                    "tháng, nhắc chủ cơ sở đi kiểm định: phòng ngừa rẻ hơn xử phạt.</p>"
                ),
                practice(
                    "<p>Phương tiện nào sau đây <b>không</b> thuộc phương tiện đo nhóm 2 khi "
                    "dùng trong sinh hoạt?</p>",
                    [
                        (
                            "Cân bàn của đại lý thu mua cà phê",
                            False,
                            "Cân dùng trong mua bán là phương tiện đo nhóm 2.",
                        ),
                        (
                            "Đồng hồ nước lạnh của hộ gia đình",
                            False,
                            "Đồng hồ nước dùng để thanh toán tiền nước là phương tiện đo nhóm 2.",
                        ),
                        (
                            "Thước dây may mặc dùng trong gia đình",
                            True,
                            "Đúng: không dùng trong mua bán, thanh toán hay công vụ.",
                        ),
                    ],
                    "<p>Tiêu chí để nhận biết là <b>mục đích sử dụng</b>: mua bán, thanh toán, "
                    "an toàn, sức khỏe, môi trường, công vụ.</p>",
                ),
            ],
        ),
        Lesson(
            "kiem-tra-can-tai-cho",
            "Kiểm tra cân tại chợ",
            [
                para(
                    "<h2>Chuẩn bị</h2><p>Phối hợp với ban quản lý chợ, mang theo <b>quả cân "
                    "chuẩn</b> (thường 1 kg, 2 kg, 5 kg) còn hạn kiểm định, mẫu biên bản và danh "
                    "sách hộ kinh doanh. Báo trước cho ban quản lý chợ, nhưng kiểm tra vào giờ "
                    "chợ đang họp để thấy đúng thực tế.</p>"
                    "<h2>Các bước</h2><p>Cán bộ xem tem kiểm định và thời hạn, kiểm tra niêm "
                    "phong, đưa cân về số 0, rồi cân thử bằng quả cân chuẩn. Ghi kết quả và lập "
                    "biên bản nếu sai số vượt giới hạn cho phép.</p>"
                ),
                image(
                    "met-tem-kiem-dinh",
                    "Tem kiểm định minh họa số 0123456, hiệu lực đến 31/12/2026, với ba chú "
                    "thích: đối chiếu số tem, xem hạn hiệu lực, tem phải nguyên vẹn.",
                ),
                video(
                    "Kiểm tra nhanh một chiếc cân",
                    "met",
                    "<p>Kiểm tra nhanh một chiếc cân. Một, xem tem và hạn kiểm định. Hai, cân thử "
                    "bằng quả cân chuẩn. Ba, sai quá giới hạn thì lập biên bản.</p><p>Hình ảnh: "
                    "ba trang chiếu, mỗi trang một bước, chữ lớn trên nền trắng.</p>",
                ),
                example(
                    "Cân đồng hồ chỉ thừa 150 g",
                    "<p>Tại chợ xã, bà N. bán thịt bằng cân đồng hồ lò xo 5 kg. Tem kiểm định "
                    "còn hạn. Người mua phản ánh hàng bị thiếu.</p>",
                    [
                        "<p>Đặt quả cân chuẩn 2 kg lên cân: kim chỉ 2,15 kg.</p>",
                        "<p>Lặp lại hai lần, kết quả như nhau; đối chiếu với cân đối chứng của "
                        "chợ.</p>",
                        "<p>Sai 150 g trên 2 kg (7,5 %), vượt xa giới hạn cho phép của loại cân "
                        "này.</p>",
                        "<p>Lập biên bản có chữ ký của bà N. và người chứng kiến; tạm dừng dùng "
                        "chiếc cân, hướng dẫn đưa đi kiểm định lại.</p>",
                    ],
                    "<p>Hộ kinh doanh dùng cân mới đã kiểm định; vụ việc được xử lý theo thẩm "
                    "quyền (xem bài “Lập biên bản và xử lý vi phạm”).</p>",
                ),
                image(
                    "met-quy-trinh-kiem-tra-can",
                    "Sơ đồ 4 bước: xem tem và hạn kiểm định; kiểm tra niêm phong, đưa cân về số "
                    "0; cân thử bằng quả cân chuẩn; ghi kết quả, sai quá giới hạn thì lập biên "
                    "bản.",
                ),
                checklist(
                    "Khi kiểm tra một chiếc cân",
                    [
                        "Có tem hoặc dấu kiểm định",
                        "Tem còn hạn, nguyên vẹn, không tẩy xóa",
                        "Niêm phong không bị phá",
                        "Cân về đúng số 0 khi không có hàng",
                        "Cân thử bằng quả cân chuẩn, ghi số chỉ",
                        "Ghi tên hộ, vị trí sạp, loại cân, số hiệu",
                    ],
                ),
                mistake(
                    "<p>Lỗi thường gặp: chỉ xem hóa đơn mua cân mà không kiểm tra tem kiểm "
                    "định; hoặc cân thử bằng một gói hàng “ước chừng” thay cho quả cân chuẩn. "
                    "Kết quả như vậy không dùng được để lập biên bản.</p>"
                ),
                practice(
                    "<p>Cân thử bằng quả cân chuẩn 1 kg, cân chỉ 1,00 kg nhưng tem kiểm định đã "
                    "hết hạn 3 tháng. Kết luận nào đúng?</p>",
                    [
                        (
                            "Không vi phạm vì cân vẫn đúng",
                            False,
                            "Cân đúng lúc thử không thay cho việc kiểm định định kỳ.",
                        ),
                        (
                            "Vi phạm về kiểm định: phải đưa cân đi kiểm định lại",
                            True,
                            "Đúng: phương tiện đo nhóm 2 phải được kiểm định định kỳ.",
                        ),
                        (
                            "Phải tịch thu cân ngay",
                            False,
                            "Biện pháp phải theo thẩm quyền và quy định xử phạt, không tùy ý.",
                        ),
                    ],
                ),
            ],
        ),
        Lesson(
            "hang-dong-goi-san",
            "Hàng đóng gói sẵn: kiểm tra lượng và nhãn",
            [
                para(
                    "<h2>Hàng đóng gói sẵn là gì</h2><p>Là hàng hóa được định lượng, đóng gói "
                    "và ghi lượng danh định trên nhãn mà không có mặt người mua: gói đường 1 kg, "
                    "chai nước mắm 500 ml, túi gạo 5 kg. Sản phẩm OCOP của xã phần lớn là hàng "
                    "đóng gói sẵn.</p><h2>Hai yêu cầu chính</h2><ol><li><b>Ghi lượng đúng "
                    "cách</b>: con số kèm đơn vị đo hợp pháp (g, kg, ml, l), ở vị trí dễ thấy."
                    "</li><li><b>Lượng thực đủ</b>: lượng thực trung bình của lô hàng không nhỏ "
                    "hơn lượng danh định, và từng đơn vị không thiếu quá mức cho phép.</li></ol>"
                ),
                image(
                    "met-nhan-hang-dong-goi",
                    "Nhãn gói đường kính trắng 1 kg của HTX Nông nghiệp Thông Nông, chú thích "
                    "tên hàng, lượng danh định, tên địa chỉ cơ sở, ngày sản xuất và hạn sử dụng.",
                ),
                legal(
                    "<p>Thông tư 21/2014/TT-BKHCN quy định về đo lường đối với lượng của hàng "
                    "đóng gói sẵn: yêu cầu ghi lượng, lượng thiếu cho phép và cách lấy mẫu "
                    "kiểm tra.</p>",
                    "met-van-ban",
                    "Thông tư 21/2014/TT-BKHCN",
                ),
                example(
                    "Kiểm tra lô đường 1 kg của một cửa hàng tạp hóa",
                    "<p>Cửa hàng của ông T. bán đường đóng túi “1 kg” do một cơ sở trong huyện "
                    "cũ đóng gói. Có phản ánh túi đường nhẹ.</p>",
                    [
                        "<p>Lấy ngẫu nhiên 10 túi cùng lô trước mặt chủ cửa hàng.</p>",
                        "<p>Cân từng túi trên cân đã kiểm định, trừ bì (khối lượng túi rỗng).</p>",
                        "<p>Tính trung bình: 985 g, nhỏ hơn lượng danh định 1 000 g.</p>",
                        "<p>Lập biên bản, ghi tên cơ sở đóng gói trên nhãn; báo Sở Khoa học và "
                        "Công nghệ để kiểm tra tại cơ sở đóng gói.</p>",
                    ],
                    "<p>Lô hàng không đạt yêu cầu về lượng; trách nhiệm chính thuộc cơ sở đóng "
                    "gói, cửa hàng phải ngừng bán lô hàng chờ xử lý.</p>",
                ),
                tip(
                    "<p>Khi hướng dẫn chủ thể OCOP làm nhãn, nhắc họ ghi “Khối lượng tịnh” (không "
                    "gồm bao bì) hoặc “Thể tích thực”, và tự cân kiểm tra vài gói mỗi mẻ.</p>"
                ),
                practice(
                    "<p>Trên nhãn chai nước mắm, cách ghi lượng nào đúng?</p>",
                    [
                        ("“Thể tích thực: 500 ml”", True, "Đúng: con số và đơn vị đo hợp pháp."),
                        ("“Chai lớn”", False, "Không có con số và đơn vị đo."),
                        (
                            "“Khoảng nửa lít”",
                            False,
                            "Lượng danh định phải là một giá trị xác định.",
                        ),
                    ],
                ),
            ],
        ),
        Lesson(
            "xu-ly-vi-pham-do-luong",
            "Lập biên bản và xử lý vi phạm về đo lường",
            [
                para(
                    "<h2>Từ phát hiện đến xử lý</h2><p>Khi phát hiện vi phạm, cán bộ lập "
                    "<b>biên bản</b> ghi đủ: thời gian, địa điểm, thành phần, phương tiện đo, kết "
                    "quả đo, ý kiến của cơ sở, chữ ký. Biên bản là chứng cứ để người có thẩm "
                    "quyền ra quyết định; biên bản thiếu thông tin dễ bị khiếu nại.</p>"
                    "<h2>Thẩm quyền</h2><p>Chủ tịch Ủy ban nhân dân cấp xã xử phạt trong phạm vi "
                    "thẩm quyền theo Luật Xử lý vi phạm hành chính và nghị định xử phạt của lĩnh "
                    "vực. Vụ việc vượt thẩm quyền thì lập hồ sơ chuyển cấp có thẩm quyền (Sở "
                    "Khoa học và Công nghệ, Chủ tịch Ủy ban nhân dân tỉnh).</p>"
                ),
                legal(
                    "<p>Nghị định 119/2017/NĐ-CP quy định xử phạt vi phạm hành chính trong lĩnh "
                    "vực tiêu chuẩn, đo lường và chất lượng sản phẩm, hàng hóa, được sửa đổi, bổ "
                    "sung bởi Nghị định 126/2021/NĐ-CP.</p>",
                    "met-van-ban",
                    "Nghị định 119/2017/NĐ-CP",
                ),
                document(
                    "met-bien-ban",
                    "Mẫu tham khảo dùng trong lớp học: các mục cần ghi khi kiểm tra một phương "
                    "tiện đo. Khi làm việc thật, dùng mẫu biên bản theo quy định hiện hành.",
                ),
                checklist(
                    "Biên bản đủ điều kiện khi",
                    [
                        "Ghi đúng giờ, ngày, địa điểm lập biên bản",
                        "Ghi họ tên, chức vụ người lập và thành phần tham gia",
                        "Ghi rõ phương tiện đo, kết quả đo, quả cân chuẩn đã dùng",
                        "Ghi ý kiến của cơ sở, kể cả khi họ không đồng ý",
                        "Đọc lại cho mọi người cùng nghe trước khi ký",
                        "Có chữ ký; người vi phạm không ký thì ghi rõ lý do, có người chứng kiến",
                    ],
                ),
                mistake(
                    "<p>Lỗi thường gặp: để trống các dòng trong biên bản rồi bổ sung sau. Mọi "
                    "chỗ trống phải gạch chéo trước khi ký; sửa chữa phải có chữ ký xác nhận bên "
                    "cạnh.</p>"
                ),
                practice(
                    "<p>Chủ sạp không đồng ý với kết quả cân thử và không ký biên bản. Cán bộ cần "
                    "làm gì?</p>",
                    [
                        (
                            "Hủy biên bản và thôi kiểm tra",
                            False,
                            "Người vi phạm không ký không làm biên bản mất giá trị.",
                        ),
                        (
                            "Ghi rõ lý do không ký, có chữ ký người chứng kiến",
                            True,
                            "Đúng: biên bản vẫn có giá trị khi ghi rõ lý do và có người chứng "
                            "kiến hoặc đại diện chính quyền.",
                        ),
                        (
                            "Ký thay cho chủ sạp",
                            False,
                            "Không bao giờ ký thay người khác.",
                        ),
                    ],
                ),
            ],
        ),
    ],
)


INTELLECTUAL_PROPERTY = Course(
    slug="so-huu-cong-nghiep-san-pham-dia-phuong",
    title="Sở hữu công nghiệp cho sản phẩm địa phương và OCOP",
    summary="Nhãn hiệu, nhãn hiệu tập thể và chỉ dẫn địa lý cho đặc sản của xã; hướng dẫn chủ "
    "thể OCOP đăng ký nhãn hiệu; nhận biết và xử lý hàng hóa xâm phạm quyền sở hữu công nghiệp.",
    domain="IP",
    hours=4,
    taught=[("IP-01", 2), ("IP-02", 1), ("IP-03", 1)],
    positions=["XA-KHCN", "TINH-DL"],
    # inspecting goods at the market and writing a record is taught in the metrology course
    prerequisites=["do-luong-co-ban"],
    lessons=[
        Lesson(
            "nhan-hieu-va-chi-dan-dia-ly",
            "Nhãn hiệu, nhãn hiệu tập thể và chỉ dẫn địa lý",
            [
                para(
                    "<h2>Vì sao cán bộ xã cần nắm</h2><p>Đặc sản của xã (mật ong, chè, gạo, "
                    "nước mắm…) chỉ được bảo vệ khi được bảo hộ. Khi chưa được bảo hộ, người "
                    "khác có thể dùng tên sản phẩm, thậm chí đăng ký trước. Cán bộ xã là người "
                    "đầu tiên hợp tác xã, hộ sản xuất hỏi: “Nên đăng ký gì, ở đâu?”.</p>"
                ),
                image(
                    "ip-ba-hinh-thuc-bao-ho",
                    "Ba khung: nhãn hiệu của một chủ thể, hiệu lực 10 năm gia hạn được; nhãn "
                    "hiệu tập thể của hội, hợp tác xã dùng theo quy chế; chỉ dẫn địa lý do Nhà "
                    "nước sở hữu, hiệu lực vô thời hạn.",
                ),
                para(
                    "<h2>Chọn hình thức nào</h2><ul><li><b>Nhãn hiệu</b>: một doanh nghiệp, hợp "
                    "tác xã hay hộ kinh doanh muốn bảo vệ tên, logo sản phẩm của mình.</li><li>"
                    "<b>Nhãn hiệu tập thể</b>: nhiều hộ cùng làm một sản phẩm, có một tổ chức "
                    "(hội, hợp tác xã) đứng tên và đặt ra quy chế sử dụng chung.</li><li><b>Chỉ "
                    "dẫn địa lý</b>: chất lượng, danh tiếng của sản phẩm gắn chặt với điều kiện "
                    "tự nhiên, con người của vùng; hồ sơ phức tạp, thường do tỉnh chủ trì.</li>"
                    "</ul>"
                ),
                legal(
                    "<p>Luật Sở hữu trí tuệ quy định điều kiện bảo hộ nhãn hiệu (Điều 72) và chỉ "
                    "dẫn địa lý (Điều 79). Luật được sửa đổi, bổ sung năm 2009, 2019 và 2022.</p>",
                    "ip-van-ban",
                    "Luật Sở hữu trí tuệ số 50/2005/QH11, Điều 72 và Điều 79",
                ),
                tip(
                    "<p>Với sản phẩm mang tên xã hoặc vùng (ví dụ “Mật ong Thông Nông”), hướng "
                    "dẫn đăng ký <b>nhãn hiệu tập thể</b> do hợp tác xã đứng tên: đơn giản hơn "
                    "chỉ dẫn địa lý và vẫn bảo vệ được mọi hộ thành viên.</p>"
                ),
                practice(
                    "<p>Ai là chủ sở hữu chỉ dẫn địa lý của Việt Nam?</p>",
                    [
                        (
                            "Hợp tác xã nộp hồ sơ",
                            False,
                            "Hợp tác xã có thể được phép sử dụng, nhưng không phải chủ sở hữu.",
                        ),
                        ("Nhà nước", True, "Đúng: Nhà nước là chủ sở hữu chỉ dẫn địa lý."),
                        ("Ủy ban nhân dân xã", False, "Xã không phải chủ sở hữu chỉ dẫn địa lý."),
                    ],
                ),
            ],
        ),
        Lesson(
            "dang-ky-nhan-hieu-ocop",
            "Hướng dẫn đăng ký nhãn hiệu cho sản phẩm OCOP",
            [
                para(
                    "<h2>Nhãn hiệu và OCOP</h2><p>Trong Bộ tiêu chí đánh giá, phân hạng sản "
                    "phẩm OCOP, việc sản phẩm có nhãn hiệu được bảo hộ (hoặc đã nộp đơn) là một "
                    "nội dung được chấm điểm. Hướng dẫn chủ thể nộp đơn sớm giúp sản phẩm vừa "
                    "được bảo vệ, vừa đủ điều kiện thăng hạng.</p><h2>Quy trình</h2><ol><li>Tra "
                    "cứu nhãn hiệu trùng, tương tự bằng công cụ tra cứu trực tuyến của Cục Sở "
                    "hữu trí tuệ.</li><li>Chuẩn bị hồ sơ theo danh mục.</li><li>Nộp đơn trực "
                    "tuyến hoặc trực tiếp tại Cục Sở hữu trí tuệ (hoặc văn phòng đại diện), nộp "
                    "phí, lệ phí.</li><li>Theo dõi đơn, trả lời thông báo của Cục đúng hạn.</li>"
                    "</ol>"
                ),
                image(
                    "ip-quy-trinh-dang-ky-nhan-hieu",
                    "Dòng thời gian 5 bước: nộp đơn; thẩm định hình thức 1 tháng; công bố đơn "
                    "trong 2 tháng; thẩm định nội dung không quá 9 tháng; cấp văn bằng bảo hộ.",
                ),
                video(
                    "Bảo hộ nhãn hiệu cho sản phẩm địa phương",
                    "ip",
                    "<p>Bảo hộ nhãn hiệu cho sản phẩm địa phương. Một, tra cứu trước khi nộp "
                    "đơn. Hai, chuẩn bị hồ sơ và nộp đơn. Ba, dùng nhãn hiệu đúng như đã đăng "
                    "ký.</p>",
                ),
                document(
                    "ip-ho-so",
                    "Danh mục để đối chiếu khi hướng dẫn hợp tác xã, hộ sản xuất chuẩn bị đơn.",
                ),
                example(
                    "Hợp tác xã mật ong muốn đăng ký nhãn hiệu tập thể",
                    "<p>HTX Ong mật Thông Nông (18 hộ thành viên) muốn bảo vệ tên “Mật ong Thông "
                    "Nông” và đưa sản phẩm đi đánh giá OCOP.</p>",
                    [
                        "<p>Tra cứu: chưa có nhãn hiệu trùng hoặc tương tự cho mật ong.</p>",
                        "<p>HTX họp thành viên, thông qua quy chế sử dụng nhãn hiệu tập thể "
                        "(ai được dùng, tiêu chuẩn chất lượng, cách kiểm soát tem nhãn).</p>",
                        "<p>Xin văn bản cho phép sử dụng địa danh “Thông Nông” vì nhãn hiệu chứa "
                        "địa danh.</p>",
                        "<p>Lập tờ khai, mẫu nhãn, danh mục sản phẩm; nộp đơn trực tuyến; lưu "
                        "biên nhận.</p>",
                    ],
                    "<p>Đơn được chấp nhận hợp lệ; HTX ghi “Đã nộp đơn đăng ký nhãn hiệu” trong "
                    "hồ sơ OCOP và theo dõi đơn đến khi được cấp văn bằng.</p>",
                ),
                checklist(
                    "Trước khi hộ sản xuất nộp đơn",
                    [
                        "Đã tra cứu nhãn hiệu trùng hoặc tương tự",
                        "Mẫu nhãn đúng như sẽ in trên bao bì",
                        "Danh mục sản phẩm xếp đúng nhóm theo Bảng phân loại Nice",
                        "Tên người nộp đơn khớp giấy đăng ký kinh doanh",
                        "Nhãn hiệu tập thể: có quy chế sử dụng",
                        "Chứa địa danh: có văn bản cho phép sử dụng địa danh",
                    ],
                ),
                mistake(
                    "<p>Lỗi thường gặp: thiết kế lại logo sau khi nộp đơn. Nhãn hiệu được bảo hộ "
                    "đúng như mẫu trong đơn; dùng mẫu khác thì phải nộp đơn mới.</p>"
                ),
                practice(
                    "<p>Văn bằng bảo hộ nhãn hiệu có hiệu lực bao lâu?</p>",
                    [
                        ("5 năm, không gia hạn", False, "Không đúng."),
                        (
                            "10 năm kể từ ngày nộp đơn, gia hạn được nhiều lần",
                            True,
                            "Đúng: mỗi lần gia hạn thêm 10 năm.",
                        ),
                        (
                            "Vô thời hạn",
                            False,
                            "Vô thời hạn là chỉ dẫn địa lý, không phải nhãn hiệu.",
                        ),
                    ],
                ),
            ],
        ),
        Lesson(
            "xu-ly-hang-xam-pham",
            "Nhận biết và xử lý hàng hóa xâm phạm quyền sở hữu công nghiệp",
            [
                para(
                    "<h2>Dấu hiệu xâm phạm</h2><p>Hàng hóa mang dấu hiệu trùng hoặc tương tự "
                    "nhãn hiệu, chỉ dẫn địa lý đang được bảo hộ, dùng cho cùng loại hàng hóa, "
                    "gây nhầm lẫn về nguồn gốc, mà không được chủ sở hữu cho phép. Hàng mang "
                    "nhãn hiệu giống hệt hoặc gần như không phân biệt được là hàng giả mạo về sở "
                    "hữu trí tuệ.</p>"
                ),
                image(
                    "ip-nhan-that-nhan-gia",
                    "Hai nhãn mật ong đặt cạnh nhau: nhãn thật “Mật ong Thông Nông” có tên hợp "
                    "tác xã và tem truy xuất; nhãn nghi xâm phạm “Mật ong Thông Nong” không có "
                    "tên cơ sở, không có tem, giá rẻ bất thường.",
                ),
                legal(
                    "<p>Hành vi xâm phạm quyền đối với nhãn hiệu, chỉ dẫn địa lý và hàng hóa giả "
                    "mạo về sở hữu trí tuệ được quy định trong Luật Sở hữu trí tuệ. Xử phạt "
                    "theo Nghị định 99/2013/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định "
                    "126/2021/NĐ-CP.</p>",
                    "ip-van-ban",
                    "Luật Sở hữu trí tuệ, Điều 129 và Điều 213",
                ),
                example(
                    "Phản ánh mật ong nhái nhãn ở chợ",
                    "<p>HTX Ong mật Thông Nông báo: tại chợ xã có bán mật ong nhãn “Mật ong "
                    "Thông Nong”, giá bằng một nửa.</p>",
                    [
                        "<p>Ghi nhận phản ánh; đề nghị HTX cung cấp bản sao văn bằng bảo hộ và "
                        "mẫu nhãn thật.</p>",
                        "<p>Cùng lực lượng quản lý thị trường kiểm tra sạp hàng; chụp ảnh, lập "
                        "biên bản, ghi số lượng hàng, nguồn nhập theo lời khai.</p>",
                        "<p>So sánh nhãn: tên gần giống, cùng loại hàng, dễ gây nhầm lẫn.</p>",
                        "<p>Xử lý theo thẩm quyền hoặc chuyển hồ sơ cơ quan có thẩm quyền; báo "
                        "lại HTX kết quả.</p>",
                    ],
                    "<p>Hàng vi phạm bị buộc loại bỏ yếu tố vi phạm; nguồn cung được chuyển cho "
                    "cơ quan chức năng truy tiếp.</p>",
                ),
                mistake(
                    "<p>Lỗi thường gặp: kết luận “hàng giả” chỉ vì giá rẻ. Phải có căn cứ: văn "
                    "bằng bảo hộ còn hiệu lực, so sánh dấu hiệu và loại hàng, ý kiến của chủ sở "
                    "hữu hoặc giám định khi cần.</p>"
                ),
                practice(
                    "<p>Căn cứ <b>đầu tiên</b> cần có trước khi xử lý hàng nghi xâm phạm nhãn "
                    "hiệu là gì?</p>",
                    [
                        ("Lời khai của người mua", False, "Hữu ích, nhưng chưa đủ làm căn cứ."),
                        (
                            "Văn bằng bảo hộ nhãn hiệu còn hiệu lực",
                            True,
                            "Đúng: không có quyền được bảo hộ thì không có xâm phạm.",
                        ),
                        ("Giá bán thấp hơn thị trường", False, "Giá chỉ là dấu hiệu để lưu ý."),
                    ],
                ),
            ],
        ),
        Lesson(
            "quan-ly-nhan-hieu-tap-the",
            "Quản lý nhãn hiệu tập thể và chỉ dẫn địa lý sau khi được bảo hộ",
            [
                para(
                    "<h2>Được bảo hộ mới là bắt đầu</h2><p>Nhiều nhãn hiệu tập thể sau khi được "
                    "cấp văn bằng thì “để trong tủ”: không có tem nhãn, không kiểm soát chất "
                    "lượng, hộ ngoài vẫn dùng tên. Cán bộ xã hỗ trợ tổ chức quản lý làm ba việc: "
                    "cấp quyền sử dụng cho thành viên đủ điều kiện, kiểm soát tem nhãn, và theo "
                    "dõi thị trường.</p><h2>Chỉ dẫn địa lý</h2><p>Với chỉ dẫn địa lý, tổ chức "
                    "được Ủy ban nhân dân tỉnh giao quản lý cho phép tổ chức, cá nhân sản xuất "
                    "trong vùng sử dụng. Xã hỗ trợ lập danh sách hộ sản xuất và nhắc tuân thủ "
                    "quy trình.</p>"
                ),
                checklist(
                    "Hợp tác xã quản lý nhãn hiệu tập thể tốt khi",
                    [
                        "Quy chế sử dụng được phổ biến đến từng hộ",
                        "Có danh sách hộ được dùng nhãn hiệu, cập nhật hằng năm",
                        "Tem nhãn được cấp theo sản lượng, có số thứ tự",
                        "Có người kiểm tra chất lượng trước khi dán tem",
                        "Có sổ ghi phản ánh hàng nhái, hàng giả",
                    ],
                ),
                tip(
                    "<p>Đưa việc rà soát danh sách hộ dùng nhãn hiệu tập thể vào kế hoạch năm "
                    "của xã, cùng đợt đánh giá lại sản phẩm OCOP.</p>"
                ),
                document(
                    "ip-van-ban",
                    "Tóm tắt Luật Sở hữu trí tuệ, Nghị định 65/2023/NĐ-CP và văn bản về Chương "
                    "trình OCOP.",
                ),
                practice(
                    "<p>Một hộ trong xã, không phải thành viên HTX, dán nhãn hiệu tập thể của "
                    "HTX lên sản phẩm của mình. Đây là gì?</p>",
                    [
                        (
                            "Hành vi có dấu hiệu xâm phạm quyền đối với nhãn hiệu tập thể",
                            True,
                            "Đúng: chỉ thành viên được phép theo quy chế mới được dùng.",
                        ),
                        (
                            "Được phép vì cùng ở trong xã",
                            False,
                            "Ở cùng địa bàn không tạo ra quyền sử dụng.",
                        ),
                        (
                            "Không sao nếu chất lượng tốt",
                            False,
                            "Chất lượng không thay thế việc được phép sử dụng.",
                        ),
                    ],
                ),
            ],
        ),
    ],
)


RADIATION = Course(
    slug="an-toan-buc-xa",
    title="An toàn bức xạ cho cán bộ cấp xã",
    summary="Nhận biết nguồn bức xạ trên địa bàn (X-quang y tế, nguồn phóng xạ trong công "
    "nghiệp), giấy phép tiến hành công việc bức xạ, kiểm tra phòng X-quang và ứng phó khi phát "
    "hiện nguồn phóng xạ vô chủ.",
    domain="RAD",
    hours=4,
    taught=[("RAD-01", 2), ("RAD-02", 1), ("RAD-03", 1)],
    positions=["XA-KHCN", "TINH-ATBX"],
    modules=[
        Module(
            "phan-1-nguon-buc-xa-va-giay-phep",
            "Phần 1. Nguồn bức xạ và giấy phép",
            "Các nguồn bức xạ thường gặp ở xã và giấy phép cơ sở phải có.",
            [
                Lesson(
                    "nguon-buc-xa-tren-dia-ban",
                    "Nguồn bức xạ thường gặp trên địa bàn xã",
                    [
                        para(
                            "<h2>Bức xạ ở quanh ta</h2><p>Bức xạ ion hóa không nhìn, nghe, ngửi "
                            "được, nên chỉ có thể nhận biết qua thiết bị, nhãn và biển cảnh báo. "
                            "Ở cấp xã thường gặp:</p><ul><li>Máy X-quang chẩn đoán ở phòng khám "
                            "đa khoa tư nhân, phòng khám nha khoa, trạm y tế.</li><li>Thiết bị "
                            "đo công nghiệp có nguồn phóng xạ kín (đo mức, đo mật độ, đo độ ẩm) "
                            "tại nhà máy xi măng, nhà máy giấy, công trình giao thông.</li><li>"
                            "Máy soi hành lý, soi hàng tại cơ sở vận chuyển.</li></ul>"
                        ),
                        image(
                            "rad-bien-canh-bao",
                            "Biển vàng có biểu tượng ba cánh quạt màu đen và chữ Cảnh báo bức "
                            "xạ; bên cạnh ba lời dặn: nơi thường gặp biển, không vào khi đèn đỏ "
                            "sáng, thấy biểu tượng trên vật lạ thì không chạm và báo ngay.",
                        ),
                        legal(
                            "<p>Luật Năng lượng nguyên tử quy định an toàn bức xạ, trách nhiệm "
                            "của tổ chức, cá nhân tiến hành công việc bức xạ và của chính quyền "
                            "địa phương. Quốc hội đã thông qua Luật Năng lượng nguyên tử (sửa "
                            "đổi) năm 2025: khi áp dụng, kiểm tra văn bản đang có hiệu lực.</p>",
                            "rad-van-ban",
                            "Luật Năng lượng nguyên tử số 18/2008/QH12",
                        ),
                        tip(
                            "<p>Lập danh sách cơ sở có thiết bị bức xạ trên địa bàn (tên cơ sở, "
                            "loại thiết bị, số giấy phép, hạn giấy phép, người phụ trách an "
                            "toàn, số điện thoại). Danh sách này cần ngay khi có sự cố.</p>"
                        ),
                        practice(
                            "<p>Nơi nào sau đây trên địa bàn xã có khả năng có nguồn bức xạ "
                            "<b>cao nhất</b>?</p>",
                            [
                                (
                                    "Cửa hàng điện thoại di động",
                                    False,
                                    "Điện thoại phát sóng vô tuyến, không phải bức xạ ion hóa.",
                                ),
                                (
                                    "Phòng khám nha khoa có máy chụp X-quang",
                                    True,
                                    "Đúng: máy X-quang phát tia X khi hoạt động.",
                                ),
                                (
                                    "Trạm biến áp điện",
                                    False,
                                    "Trạm biến áp không phải nguồn bức xạ ion hóa.",
                                ),
                            ],
                        ),
                    ],
                ),
                Lesson(
                    "giay-phep-cong-viec-buc-xa",
                    "Giấy phép tiến hành công việc bức xạ",
                    [
                        para(
                            "<h2>Ai phải có giấy phép</h2><p>Tổ chức, cá nhân sử dụng thiết bị "
                            "X-quang, nguồn phóng xạ phải có giấy phép tiến hành công việc bức "
                            "xạ trước khi sử dụng. Với thiết bị X-quang chẩn đoán trong y tế, Sở "
                            "Khoa học và Công nghệ cấp giấy phép; các công việc bức xạ khác do "
                            "cơ quan quản lý an toàn bức xạ ở trung ương cấp.</p><h2>Những gì "
                            "đi kèm giấy phép</h2><ul><li>Người phụ trách an toàn có chứng chỉ "
                            "nhân viên bức xạ.</li><li>Nhân viên bức xạ được đào tạo, đeo liều "
                            "kế cá nhân, được theo dõi liều.</li><li>Thiết bị được kiểm định, "
                            "phòng đặt thiết bị được che chắn đạt yêu cầu.</li><li>Có nội quy an "
                            "toàn và kế hoạch ứng phó sự cố.</li></ul>"
                        ),
                        legal(
                            "<p>Nghị định 142/2020/NĐ-CP quy định việc tiến hành công việc bức "
                            "xạ và hoạt động dịch vụ hỗ trợ ứng dụng năng lượng nguyên tử, gồm "
                            "hồ sơ, thẩm quyền và thời hạn cấp giấy phép.</p>",
                            "rad-van-ban",
                            "Nghị định 142/2020/NĐ-CP",
                        ),
                        example(
                            "Phòng khám mới lắp máy X-quang",
                            "<p>Người dân báo: phòng khám tư nhân ở thôn 3 vừa lắp máy chụp "
                            "X-quang, đã chụp cho bệnh nhân.</p>",
                            [
                                "<p>Đối chiếu danh sách cơ sở bức xạ của xã: chưa có phòng khám "
                                "này.</p>",
                                "<p>Đề nghị phòng khám xuất trình giấy phép tiến hành công việc "
                                "bức xạ: chưa có, hồ sơ đang làm.</p>",
                                "<p>Lập biên bản làm việc, đề nghị dừng sử dụng máy đến khi được "
                                "cấp phép.</p>",
                                "<p>Báo Sở Khoa học và Công nghệ để kiểm tra, xử lý theo thẩm "
                                "quyền.</p>",
                            ],
                            "<p>Phòng khám dừng chụp; Sở kiểm tra, xử phạt việc sử dụng khi "
                            "chưa có giấy phép; xã bổ sung phòng khám vào danh sách theo dõi.</p>",
                        ),
                        mistake(
                            "<p>Lỗi thường gặp: coi giấy phép hoạt động khám bệnh, chữa bệnh là "
                            "đủ. Giấy phép tiến hành công việc bức xạ là giấy phép riêng, cấp "
                            "cho từng thiết bị hoặc nguồn.</p>"
                        ),
                        practice(
                            "<p>Ai cấp giấy phép sử dụng thiết bị X-quang chẩn đoán trong y "
                            "tế?</p>",
                            [
                                (
                                    "Sở Khoa học và Công nghệ",
                                    True,
                                    "Đúng, theo Nghị định 142/2020/NĐ-CP.",
                                ),
                                ("Ủy ban nhân dân xã", False, "Xã không cấp loại giấy phép này."),
                                ("Trạm y tế xã", False, "Trạm y tế không có thẩm quyền cấp phép."),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        Module(
            "phan-2-kiem-tra-va-ung-pho",
            "Phần 2. Kiểm tra và ứng phó sự cố",
            "Đi kiểm tra một phòng X-quang và xử lý khi gặp nguồn phóng xạ vô chủ.",
            [
                Lesson(
                    "kiem-tra-phong-x-quang",
                    "Kiểm tra an toàn tại phòng X-quang",
                    [
                        para(
                            "<h2>Cán bộ xã xem gì</h2><p>Cán bộ xã phối hợp với đoàn kiểm tra "
                            "của tỉnh hoặc tự kiểm tra theo kế hoạch. Không cần máy đo: phần lớn "
                            "nội dung kiểm tra là <b>giấy tờ</b> và <b>những gì nhìn thấy</b> "
                            "được ở phòng chụp.</p>"
                        ),
                        image(
                            "rad-phong-x-quang",
                            "Sơ đồ mặt bằng phòng X-quang: tường che chắn dày, bàn chụp và bóng "
                            "phát tia ở giữa, buồng điều khiển có tấm chắn ở góc, cửa có đèn đỏ; "
                            "chú thích che chắn, đèn và biển cảnh báo, liều kế, tạp dề chì.",
                        ),
                        checklist(
                            "Kiểm tra phòng X-quang",
                            [
                                "Giấy phép tiến hành công việc bức xạ còn hạn, đúng thiết bị",
                                "Người phụ trách an toàn có chứng chỉ nhân viên bức xạ",
                                "Nhân viên đeo liều kế cá nhân khi làm việc",
                                "Thiết bị có giấy chứng nhận kiểm định còn hạn",
                                "Cửa phòng có đèn báo và biển cảnh báo bức xạ",
                                "Có tạp dề chì cho người bệnh và người giúp đỡ",
                                "Nội quy an toàn dán ở nơi dễ thấy",
                            ],
                        ),
                        mistake(
                            "<p>Lỗi thường gặp: người nhà đứng trong phòng giữ bệnh nhân mà không "
                            "mặc tạp dề chì, cửa phòng để mở khi chụp. Nhắc cơ sở ngay tại chỗ "
                            "và ghi vào biên bản.</p>"
                        ),
                        document(
                            "rad-van-ban",
                            "Tóm tắt Luật Năng lượng nguyên tử, Nghị định 142/2020/NĐ-CP và "
                            "Thông tư 13/2018/TT-BKHCN về an toàn bức xạ trong y tế.",
                        ),
                        practice(
                            "<p>Đèn đỏ trên cửa phòng X-quang đang sáng. Điều đó có nghĩa là "
                            "gì?</p>",
                            [
                                (
                                    "Phòng đang phát tia X, không mở cửa, không đi vào",
                                    True,
                                    "Đèn đỏ báo máy đang phát tia; chờ đèn tắt mới vào.",
                                ),
                                ("Phòng đang dọn dẹp", False, "Đèn đỏ báo đang phát tia."),
                                ("Máy đang hỏng", False, "Đèn đỏ không phải đèn báo lỗi."),
                            ],
                        ),
                    ],
                ),
                Lesson(
                    "ung-pho-nguon-vo-chu",
                    "Ứng phó khi phát hiện vật nghi là nguồn phóng xạ",
                    [
                        para(
                            "<h2>Vì sao quan trọng</h2><p>Nguồn phóng xạ kín bị thất lạc có thể "
                            "lẫn vào phế liệu. Người nhặt, tháo, cất giữ trong nhà có thể bị "
                            "chiếu xạ nặng mà không biết. Cán bộ xã thường là người đầu tiên "
                            "nhận tin từ người dân, điểm thu mua phế liệu.</p>"
                        ),
                        image(
                            "rad-ung-pho-nguon-vo-chu",
                            "Sơ đồ 4 bước: không chạm, không nhặt, không mở; tránh xa, khoanh "
                            "vùng; báo cáo ngay Ủy ban nhân dân xã, Sở Khoa học và Công nghệ, "
                            "công an; chờ lực lượng chuyên môn.",
                        ),
                        video(
                            "Gặp vật nghi là nguồn phóng xạ",
                            "rad",
                            "<p>Gặp vật nghi là nguồn phóng xạ. Một, không chạm, không nhặt. "
                            "Hai, tránh xa và khoanh vùng. Ba, báo cáo ngay cho ủy ban xã.</p>",
                        ),
                        example(
                            "Vật lạ có biểu tượng bức xạ ở điểm thu mua phế liệu",
                            "<p>Chủ điểm thu mua phế liệu ở thôn 5 gọi điện: trong lô sắt vụn "
                            "mua về có một ống kim loại nặng, dán nhãn hình ba cánh quạt.</p>",
                            [
                                "<p>Dặn qua điện thoại: không chạm, không cắt, cho mọi người ra "
                                "xa ít nhất vài chục mét.</p>",
                                "<p>Báo Chủ tịch Ủy ban nhân dân xã, Sở Khoa học và Công nghệ, "
                                "công an xã; ghi giờ báo.</p>",
                                "<p>Đến hiện trường, khoanh vùng bằng dây, cử người canh, không "
                                "cho ai vào.</p>",
                                "<p>Lập danh sách người đã tiếp xúc với vật; chờ lực lượng chuyên "
                                "môn đến đo, thu gom.</p>",
                            ],
                            "<p>Nguồn được thu gom an toàn; những người đã tiếp xúc được đưa đi "
                            "kiểm tra sức khỏe; cơ quan chức năng truy tìm nơi làm mất nguồn.</p>",
                        ),
                        legal(
                            "<p>Thông tư 25/2014/TT-BKHCN quy định việc chuẩn bị ứng phó và ứng "
                            "phó sự cố bức xạ, hạt nhân, lập và phê duyệt kế hoạch ứng phó.</p>",
                            "rad-van-ban",
                            "Thông tư 25/2014/TT-BKHCN",
                        ),
                        document(
                            "rad-bao-cao",
                            "Các thông tin cần ghi khi báo cáo nhanh một sự cố bức xạ.",
                        ),
                        practice(
                            "<p>Việc <b>đầu tiên</b> khi người dân báo thấy vật lạ có biểu tượng "
                            "bức xạ là gì?</p>",
                            [
                                (
                                    "Đến nhặt vật mang về ủy ban cất giữ",
                                    False,
                                    "Rất nguy hiểm: không bao giờ tự di chuyển nguồn.",
                                ),
                                (
                                    "Dặn mọi người không chạm, tránh xa, rồi báo cáo ngay",
                                    True,
                                    "Đúng: khoảng cách và báo cáo sớm là quan trọng nhất.",
                                ),
                                (
                                    "Chụp ảnh đăng lên mạng xã hội để cảnh báo",
                                    False,
                                    "Dễ gây hoang mang; báo cơ quan có trách nhiệm trước.",
                                ),
                            ],
                            "<p>Ba nguyên tắc bảo vệ: thời gian ngắn, khoảng cách xa, có che "
                            "chắn. Với người không chuyên, khoảng cách là cách dễ làm nhất.</p>",
                        ),
                    ],
                ),
            ],
        ),
    ],
)


RADIO_FREQUENCIES = Course(
    slug="tan-so-vo-tuyen-dien",
    title="Quản lý tần số vô tuyến điện tại xã",
    summary="Giấy phép sử dụng tần số và thiết bị vô tuyến điện, đài truyền thanh, tàu cá và vô "
    "tuyến điện nghiệp dư, tiếp nhận phản ánh can nhiễu, kiểm tra thiết bị vô tuyến điện trên "
    "địa bàn.",
    domain="RF",
    hours=3,
    taught=[("RF-01", 2), ("RF-02", 1), ("RF-03", 1)],
    positions=["XA-KHCN", "TINH-TS"],
    lessons=[
        Lesson(
            "giay-phep-tan-so",
            "Giấy phép sử dụng tần số và thiết bị vô tuyến điện",
            [
                para(
                    "<h2>Tần số là tài nguyên</h2><p>Phổ tần số vô tuyến điện là tài nguyên do "
                    "Nhà nước quản lý. Muốn phát sóng, tổ chức, cá nhân phải có giấy phép, trừ "
                    "thiết bị thuộc danh mục được miễn giấy phép (Wi-Fi, Bluetooth, điều khiển "
                    "từ xa cự ly ngắn…), nhưng vẫn phải tuân thủ điều kiện kỹ thuật.</p>"
                    "<h2>Các loại giấy phép</h2><ul><li>Giấy phép sử dụng tần số và thiết bị vô "
                    "tuyến điện: đài truyền thanh FM, thiết bị trên tàu cá, bộ đàm của doanh "
                    "nghiệp…</li><li>Giấy phép sử dụng băng tần: cho doanh nghiệp viễn "
                    "thông.</li><li>Giấy phép sử dụng tần số và quỹ đạo vệ tinh.</li></ul><p>Cơ "
                    "quan cấp phép là Cục Tần số vô tuyến điện; hồ sơ nộp trực tuyến được.</p>"
                ),
                image(
                    "rf-dai-tan-so",
                    "Thang tần số tăng dần từ trên xuống với năm dải: 3 đến 30 MHz cho tàu cá "
                    "xa bờ; 87 đến 108 MHz phát thanh FM; 156 đến 162 MHz VHF hàng hải; 700 "
                    "MHz đến 2,6 GHz di động; 2,4 và 5 GHz Wi-Fi, Bluetooth miễn giấy phép.",
                ),
                legal(
                    "<p>Luật Tần số vô tuyến điện năm 2009, được sửa đổi, bổ sung năm 2022, quy "
                    "định cấp phép, sử dụng tần số và xử lý can nhiễu; Nghị định 63/2023/NĐ-CP "
                    "quy định chi tiết; Thông tư 08/2021/TT-BTTTT quy định danh mục thiết bị "
                    "được miễn giấy phép.</p>",
                    "rf-van-ban",
                    "Luật Tần số vô tuyến điện số 42/2009/QH12",
                ),
                tip(
                    "<p>Khi người dân hỏi “thiết bị này có cần giấy phép không”, hỏi ba điều: "
                    "thiết bị gì, phát ở tần số nào, công suất bao nhiêu; rồi đối chiếu danh mục "
                    "thiết bị được miễn giấy phép.</p>"
                ),
                practice(
                    "<p>Thiết bị nào thường <b>không</b> cần giấy phép sử dụng tần số?</p>",
                    [
                        (
                            "Bộ phát Wi-Fi gia đình",
                            True,
                            "Đúng: thuộc danh mục miễn giấy phép, nếu đúng điều kiện kỹ thuật.",
                        ),
                        ("Máy phát của đài truyền thanh FM xã", False, "Phải có giấy phép."),
                        (
                            "Máy thu phát HF trên tàu cá",
                            False,
                            "Phải có giấy phép, trừ loại được miễn theo danh mục.",
                        ),
                    ],
                ),
            ],
        ),
        Lesson(
            "truyen-thanh-tau-ca-nghiep-du",
            "Đài truyền thanh xã, tàu cá và vô tuyến điện nghiệp dư",
            [
                para(
                    "<h2>Đài truyền thanh cấp xã</h2><p>Đài truyền thanh dùng máy phát FM phải "
                    "có giấy phép và phát đúng tần số, công suất ghi trong giấy phép. Nhiều xã đã "
                    "chuyển sang đài truyền thanh ứng dụng công nghệ thông tin – viễn thông (cụm "
                    "loa nhận tín hiệu qua mạng di động, Internet): loại này không dùng tần số "
                    "riêng nên không cần giấy phép tần số.</p><h2>Tàu cá</h2><p>Máy thu phát "
                    "HF, VHF trên tàu cá giúp liên lạc, cứu nạn. Thiết bị phải có giấy phép "
                    "(trừ loại được miễn) và người dùng phải biết gọi kênh cấp cứu.</p><h2>Vô "
                    "tuyến điện nghiệp dư</h2><p>Người chơi vô tuyến điện nghiệp dư phải có "
                    "chứng chỉ vô tuyến điện viên nghiệp dư và giấy phép; không được dùng để kinh "
                    "doanh hay truyền tin cho người khác.</p>"
                ),
                example(
                    "Giấy phép đài truyền thanh FM sắp hết hạn",
                    "<p>Rà soát hồ sơ, cán bộ thấy giấy phép tần số của đài truyền thanh xã hết "
                    "hạn sau 40 ngày.</p>",
                    [
                        "<p>Báo lãnh đạo xã và người phụ trách đài.</p>",
                        "<p>Chuẩn bị hồ sơ gia hạn theo hướng dẫn của Cục Tần số vô tuyến điện, "
                        "nộp trực tuyến trước khi giấy phép hết hạn.</p>",
                        "<p>Ghi ngày nộp, số hồ sơ vào sổ theo dõi; kiểm tra trạng thái hằng "
                        "tuần.</p>",
                    ],
                    "<p>Giấy phép được gia hạn trước ngày hết hạn; đài phát liên tục, không bị "
                    "xử phạt vì sử dụng tần số khi giấy phép đã hết hạn.</p>",
                ),
                mistake(
                    "<p>Lỗi thường gặp: thay máy phát FM mới có công suất lớn hơn “cho nghe xa” "
                    "mà không đề nghị sửa đổi giấy phép. Công suất, tần số, vị trí phải đúng "
                    "giấy phép.</p>"
                ),
                practice(
                    "<p>Xã dùng cụm loa truyền thanh nhận tín hiệu qua mạng di động. Có cần giấy "
                    "phép sử dụng tần số cho cụm loa không?</p>",
                    [
                        (
                            "Có, mọi đài truyền thanh đều cần",
                            False,
                            "Chỉ đài dùng máy phát vô tuyến riêng mới cần.",
                        ),
                        (
                            "Không, vì cụm loa dùng mạng viễn thông của doanh nghiệp",
                            True,
                            "Đúng: doanh nghiệp viễn thông đã được cấp phép băng tần.",
                        ),
                    ],
                ),
            ],
        ),
        Lesson(
            "tiep-nhan-phan-anh-can-nhieu",
            "Tiếp nhận và xử lý phản ánh can nhiễu",
            [
                para(
                    "<h2>Can nhiễu là gì</h2><p>Can nhiễu là sóng vô tuyến không mong muốn làm "
                    "giảm chất lượng hoặc làm gián đoạn liên lạc: mất sóng điện thoại cả một "
                    "khu, truyền hình bị sọc, bộ đàm tàu cá rè. Nguồn thường gặp: bộ kích sóng "
                    "điện thoại di động không hợp chuẩn, máy phát FM không phép, thiết bị phá "
                    "sóng, thiết bị điện hỏng.</p><h2>Vai trò của xã</h2><p>Xã tiếp nhận, ghi "
                    "đủ thông tin, báo Trung tâm Tần số vô tuyến điện khu vực và phối hợp khi "
                    "Trung tâm xuống đo kiểm, xác định nguồn nhiễu.</p>"
                ),
                image(
                    "rf-xu-ly-can-nhieu",
                    "Sơ đồ 5 bước: tiếp nhận phản ánh; ghi thời gian, tần số, vị trí, hiện "
                    "tượng; báo Trung tâm Tần số vô tuyến điện khu vực; phối hợp kiểm tra, tìm "
                    "nguồn nhiễu; thông báo kết quả cho người phản ánh.",
                ),
                video(
                    "Tiếp nhận phản ánh can nhiễu",
                    "rf",
                    "<p>Tiếp nhận phản ánh can nhiễu. Một, ghi thời gian, vị trí và hiện tượng. "
                    "Hai, báo trung tâm tần số khu vực. Ba, phối hợp kiểm tra.</p>",
                ),
                document(
                    "rf-phieu",
                    "Phiếu tham khảo: các thông tin cần hỏi người phản ánh trước khi báo Trung "
                    "tâm Tần số vô tuyến điện khu vực.",
                ),
                example(
                    "Cả thôn mất sóng điện thoại buổi tối",
                    "<p>Nhiều hộ ở thôn 2 phản ánh: từ tuần trước, cứ khoảng 18 giờ đến 22 giờ "
                    "là điện thoại mất sóng, ban ngày bình thường.</p>",
                    [
                        "<p>Ghi phiếu tiếp nhận: thời gian, khu vực, mạng di động bị ảnh "
                        "hưởng.</p>",
                        "<p>Hỏi thêm: một nhà hàng karaoke mới khai trương tuần trước, có lắp "
                        "“cục kích sóng” mua trên mạng.</p>",
                        "<p>Báo Trung tâm Tần số vô tuyến điện khu vực kèm phiếu; doanh nghiệp "
                        "di động cũng được thông báo.</p>",
                        "<p>Trung tâm đo kiểm, xác định bộ kích sóng không hợp chuẩn là nguồn "
                        "nhiễu; xã phối hợp làm việc với chủ cơ sở.</p>",
                    ],
                    "<p>Bộ kích sóng bị tháo, sóng di động trở lại bình thường; chủ cơ sở bị "
                    "xử lý theo quy định.</p>",
                ),
                checklist(
                    "Thông tin cần có khi báo can nhiễu",
                    [
                        "Họ tên, số điện thoại người phản ánh",
                        "Hiện tượng: mất sóng, rè, sọc hình, mất kết nối",
                        "Thời điểm bắt đầu và khung giờ hay xảy ra",
                        "Vị trí, phạm vi bị ảnh hưởng",
                        "Mạng, kênh hoặc tần số bị nhiễu (nếu biết)",
                        "Thiết bị mới lắp gần đó (nếu có)",
                    ],
                ),
                practice(
                    "<p>Sau khi ghi nhận phản ánh can nhiễu, xã báo cho cơ quan nào để đo "
                    "kiểm, xác định nguồn nhiễu?</p>",
                    [
                        (
                            "Trung tâm Tần số vô tuyến điện khu vực",
                            True,
                            "Trung tâm khu vực có thiết bị đo kiểm và xác định nguồn nhiễu.",
                        ),
                        ("Công an xã", False, "Công an phối hợp khi cần, nhưng không đo kiểm."),
                        ("Cửa hàng bán điện thoại", False, "Không có chức năng này."),
                    ],
                ),
            ],
        ),
        Lesson(
            "kiem-tra-thiet-bi-vo-tuyen",
            "Kiểm tra thiết bị vô tuyến điện trên thị trường và trong sử dụng",
            [
                para(
                    "<h2>Thiết bị bán trên thị trường</h2><p>Thiết bị vô tuyến điện thuộc danh "
                    "mục phải chứng nhận, công bố hợp quy phải có dấu hợp quy trước khi lưu "
                    "thông. Thiết bị phá sóng, bộ kích sóng di động không hợp chuẩn là nguồn gây "
                    "nhiễu phổ biến và không được tự ý sử dụng.</p><h2>Thiết bị đang dùng</h2>"
                    "<p>Kiểm tra giấy phép còn hạn, thiết bị, tần số, công suất, vị trí đặt đúng "
                    "giấy phép.</p>"
                ),
                checklist(
                    "Khi kiểm tra một cửa hàng bán thiết bị vô tuyến",
                    [
                        "Thiết bị có dấu hợp quy và nhãn hàng hóa",
                        "Không bày bán thiết bị phá sóng",
                        "Bộ kích sóng di động có nguồn gốc, hợp quy",
                        "Bộ đàm, máy phát FM có hướng dẫn về giấy phép khi sử dụng",
                    ],
                ),
                legal(
                    "<p>Nghị định 15/2020/NĐ-CP quy định xử phạt vi phạm hành chính trong lĩnh "
                    "vực bưu chính, viễn thông, tần số vô tuyến điện, công nghệ thông tin và "
                    "giao dịch điện tử, được sửa đổi, bổ sung bởi Nghị định 14/2022/NĐ-CP.</p>",
                    "rf-van-ban",
                    "Nghị định 15/2020/NĐ-CP",
                ),
                mistake(
                    "<p>Lỗi thường gặp: tự tắt, tháo thiết bị của người khác khi nghi gây "
                    "nhiễu. Chỉ lập biên bản, yêu cầu ngừng sử dụng theo thẩm quyền và chờ kết "
                    "luận đo kiểm của cơ quan chuyên môn.</p>"
                ),
                document(
                    "rf-van-ban",
                    "Tóm tắt Luật Tần số vô tuyến điện, Nghị định 63/2023/NĐ-CP, Thông tư "
                    "08/2021/TT-BTTTT và Nghị định 15/2020/NĐ-CP.",
                ),
                practice(
                    "<p>Một cửa hàng bày bán thiết bị phá sóng điện thoại “cho phòng thi, phòng "
                    "họp”. Cán bộ xã nên làm gì?</p>",
                    [
                        (
                            "Không làm gì vì đây là hàng công nghệ",
                            False,
                            "Thiết bị phá sóng gây nhiễu và bị quản lý chặt.",
                        ),
                        (
                            "Lập biên bản, báo cơ quan có thẩm quyền xử lý",
                            True,
                            "Biên bản ghi nhận vụ việc để cơ quan có thẩm quyền xử phạt.",
                        ),
                        (
                            "Mua về để dùng cho phòng họp của xã",
                            False,
                            "Không được tự ý sử dụng thiết bị phá sóng.",
                        ),
                    ],
                ),
            ],
        ),
    ],
)


COURSES = [METROLOGY, INTELLECTUAL_PROPERTY, RADIATION, RADIO_FREQUENCIES]


# --- seeding ---------------------------------------------------------------------------------


def _image_upsert(key: str):
    model = get_image_model()
    title = IMAGES[key]
    image = model.objects.filter(title=title).first()
    if image is None:
        path = ASSETS / "images" / f"{key}.png"
        with path.open("rb") as fh:
            image = model(title=title, file=ImageFile(fh, name=path.name))
            image._set_image_file_metadata()
            image.save()
    return image


def _document_upsert(key: str):
    model = get_document_model()
    relative, title = DOCUMENTS[key]
    doc = model.objects.filter(title=title).first()
    if doc is None:
        path = ASSETS / relative
        with path.open("rb") as fh:
            doc = model(title=title, file=File(fh, name=path.name))
            doc._set_document_file_metadata()
            doc.save()
    return doc


class _Assets:
    """Looks each asset up once per seed."""

    def __init__(self):
        self.ids: dict[Ref, int] = {}

    def resolve(self, value):
        if isinstance(value, Ref):
            if value not in self.ids:
                upsert = _image_upsert if value.kind == "image" else _document_upsert
                self.ids[value] = upsert(value.key).pk
            return self.ids[value]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _body_canonical(stream) -> list:
    """A stream's content in one form whatever it was built from (raw data or the database):
    each block through its own to_python/get_prep_value, without the generated ids."""
    return _without_ids(
        [
            {"type": child.block_type, "value": child.block.get_prep_value(child.value)}
            for child in stream
        ]
    )


def _edited_by_a_person(page: Page) -> bool:
    revision = page.latest_revision
    return revision is not None and revision.user_id is not None


def _lesson_upsert(parent: Page, lesson: Lesson, assets: _Assets) -> LessonPage:
    raw = assets.resolve(lesson.body)
    page = LessonPage.objects.child_of(parent).filter(slug=lesson.slug).first()
    if page is None:
        page = parent.add_child(instance=LessonPage(slug=lesson.slug, title=lesson.title, body=raw))
        page.save_revision().publish()
        return page
    if _edited_by_a_person(page):
        return page
    wanted = LessonPage(body=raw).body
    if page.title != lesson.title or _body_canonical(page.body) != _body_canonical(wanted):
        page.title = lesson.title
        page.body = raw
        page.save_revision().publish()
    return page


def _module_upsert(course: CoursePage, module: Module) -> ModulePage:
    page = ModulePage.objects.child_of(course).filter(slug=module.slug).first()
    if page is None:
        page = course.add_child(
            instance=ModulePage(slug=module.slug, title=module.title, summary=module.summary)
        )
        page.save_revision().publish()
    elif not _edited_by_a_person(page) and (page.title, page.summary) != (
        module.title,
        module.summary,
    ):
        page.title, page.summary = module.title, module.summary
        page.save_revision().publish()
    return page


def _course_upsert(*, index, spec: Course, domains, competencies, levels, positions, courses):
    fields = {
        "title": spec.title,
        "summary": spec.summary,
        "domain": domains[spec.domain],
        "estimated_hours": spec.hours,
    }
    taught = {competencies[code].pk: levels[rank] for code, rank in spec.taught}
    target = {positions[code] for code in spec.positions}
    prerequisites = {courses[slug] for slug in spec.prerequisites}

    page = CoursePage.objects.child_of(index).filter(slug=spec.slug).first()
    if page is None:
        page = CoursePage(slug=spec.slug, **fields)
        page.taught = [
            CourseCompetency(competency_id=pk, level=level) for pk, level in taught.items()
        ]
        page.target_positions = list(target)
        page.prerequisites = list(prerequisites)
        index.add_child(instance=page)
        page.save_revision().publish()
        return page
    if _edited_by_a_person(page):
        return page
    current_taught = {row.competency_id: row.level_id for row in page.taught.all()}
    changed = (
        any(getattr(page, name) != value for name, value in fields.items())
        or current_taught != {pk: level.pk for pk, level in taught.items()}
        or set(page.target_positions.all()) != target
        or set(page.prerequisites.all()) != prerequisites
    )
    if changed:
        for name, value in fields.items():
            setattr(page, name, value)
        rows = {row.competency_id: row for row in page.taught.all()}
        for pk, level in taught.items():
            rows.setdefault(pk, CourseCompetency(competency_id=pk)).level = level
        page.taught = [rows[pk] for pk in taught]
        page.target_positions = list(target)
        page.prerequisites = list(prerequisites)
        page.save_revision().publish()
    return page


def demo_courses_seed(*, index, domains, competencies, levels, positions) -> dict[str, CoursePage]:
    """The four demo courses under the catalogue, keyed by slug; a second run changes nothing."""
    assets = _Assets()
    courses: dict[str, CoursePage] = {}
    for spec in COURSES:
        course = _course_upsert(
            index=index,
            spec=spec,
            domains=domains,
            competencies=competencies,
            levels=levels,
            positions=positions,
            courses=courses,
        )
        courses[spec.slug] = course
        for lesson in spec.lessons:
            _lesson_upsert(course, lesson, assets)
        for module in spec.modules:
            module_page = _module_upsert(course, module)
            for lesson in module.lessons:
                _lesson_upsert(module_page, lesson, assets)
    return courses
