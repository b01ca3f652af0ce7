"""The XLSX template: trainers' spreadsheets in Vietnamese or English headers, one row per
question, errors by row and column, formulas refused, and what the template cannot hold is
said when exporting."""

import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from assessments.interchange import model, xlsx
from assessments.interchange.model import QuestionData

from .helpers import read_gift, read_moodle

HEADER = [c.header for c in xlsx.COLUMNS]


def workbook(rows, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header if header is not None else HEADER)
    for row in rows:
        if isinstance(row, dict):
            names = header if header is not None else HEADER
            row = [row.get(name) for name in names]
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def one(**cells):
    result = xlsx.read(workbook([cells]))
    assert result.ok, result.errors
    [q] = result.questions
    return q


def row_errors(*rows) -> list[tuple]:
    return [(e.position, e.field, e.code) for e in xlsx.read(workbook(list(rows))).errors]


BASE = {"Tên câu hỏi": "Câu 1", "Nội dung câu hỏi": "Nội dung?"}


# --- reading -------------------------------------------------------------------------------------


def test_a_row_of_each_type_reads_into_the_neutral_form():
    rows = [
        {
            "Mã câu hỏi": "MET-01-001",
            "Tên câu hỏi": "MET-01 cân bàn chợ",
            "Loại câu hỏi": "Một đáp án",
            "Danh mục": "Đo lường/Chợ",
            "Mã năng lực": "MET-01",
            "Mức độ": "Dễ",
            "Nội dung câu hỏi": "Cân bàn dùng trong mua bán tại chợ\nthuộc loại nào?",
            "Phương án A": "Phương tiện đo nhóm 2",
            "Phương án B": "Phương tiện đo nhóm 1",
            "Phương án C": "Không phải phương tiện đo",
            "Đáp án đúng": "A",
            "Giải thích": "Theo <b>Thông tư 23/2013</b>.",
            "Thẻ": "chợ, cân; đo lường",
            "Văn bản pháp lý": "Luật Đo lường 2011",
            "Điều khoản": "Điều 16",
            "Ngày hiệu lực": datetime(2012, 7, 1),
        },
        {
            "Tên câu hỏi": "Nhiều đáp án",
            "Loại câu hỏi": "Nhiều đáp án",
            "Nội dung câu hỏi": "Chọn các số nguyên tố",
            "Phương án A": "2",
            "Phương án B": "4",
            "Phương án C": "3",
            "Đáp án đúng": "A, C",
            "Xáo trộn phương án": "Không",
        },
        {
            "Tên câu hỏi": "Đúng sai",
            "Loại câu hỏi": "Đúng/Sai",
            "Nội dung câu hỏi": "Cân phải kiểm định định kỳ.",
            "Đáp án đúng": "Đúng",
        },
        {
            "Tên câu hỏi": "Số",
            "Loại câu hỏi": "Số",
            "Nội dung câu hỏi": "Sai số bao nhiêu gam?",
            "Đáp số": 20,
            "Sai số cho phép": "0,5",
            "Đơn vị": "g | kg=0.001",
        },
        {
            "Tên câu hỏi": "Ngắn",
            "Loại câu hỏi": "Trả lời ngắn",
            "Nội dung câu hỏi": "Đơn vị đo khối lượng?",
            "Đáp án chấp nhận": "ki-lô-gam | kilogam\nkg",
            "Bỏ qua dấu": "Có",
        },
        {
            "Tên câu hỏi": "Ghép",
            "Loại câu hỏi": "Ghép đôi",
            "Nội dung câu hỏi": "Ghép thủ tục với cơ quan.",
            "Cặp ghép": "Kiểm định cân => Tổ chức kiểm định | Cấp phép tần số => Cục Tần số "
            "| => UBND tỉnh",
        },
    ]
    result = xlsx.read(workbook(rows))

    assert result.ok, result.errors
    single, multiple, truefalse, numeric, short, matching = result.questions
    assert [q.position for q in result.questions] == [2, 3, 4, 5, 6, 7]
    assert single == QuestionData(
        name="MET-01 cân bàn chợ",
        qtype="single",
        stem="Cân bàn dùng trong mua bán tại chợ<br>thuộc loại nào?",
        explanation="Theo <b>Thông tư 23/2013</b>.",
        options=[
            {
                "key": "a",
                "text": "Phương tiện đo nhóm 2",
                "correct": True,
                "fraction": 1.0,
                "feedback": "",
            },
            {
                "key": "b",
                "text": "Phương tiện đo nhóm 1",
                "correct": False,
                "fraction": 0.0,
                "feedback": "",
            },
            {
                "key": "c",
                "text": "Không phải phương tiện đo",
                "correct": False,
                "fraction": 0.0,
                "feedback": "",
            },
        ],
        category="Đo lường/Chợ",
        tags=["chợ", "cân", "đo lường"],
        competency_code="MET-01",
        difficulty="easy",
        legal_document="Luật Đo lường 2011",
        legal_article="Điều 16",
        legal_effective_date=date(2012, 7, 1),
        idnumber="MET-01-001",
    )
    # each right option 1/2, each wrong one -1/2: ticking everything earns nothing
    assert [(o["text"], o["fraction"], o["correct"]) for o in multiple.options] == [
        ("2", 0.5, True),
        ("4", -0.5, False),
        ("3", 0.5, True),
    ]
    assert multiple.shuffle_options is False
    assert [(o["key"], o["text"], o["correct"]) for o in truefalse.options] == [
        ("true", _("True"), True),
        ("false", _("False"), False),
    ]
    assert numeric.data == {
        "answers": [{"value": 20.0, "tolerance": 0.5, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": "g", "multiplier": 1.0}, {"unit": "kg", "multiplier": 0.001}],
        "unit_required": True,
    }
    assert short.data == {
        "answers": [
            {"text": "ki-lô-gam", "fraction": 1.0, "feedback": ""},
            {"text": "kilogam", "fraction": 1.0, "feedback": ""},
            {"text": "kg", "fraction": 1.0, "feedback": ""},
        ],
        "case_sensitive": False,
        "ignore_diacritics": True,
    }
    assert matching.data == {
        "pairs": [
            {"key": "p1", "prompt": "Kiểm định cân", "answer": "Tổ chức kiểm định"},
            {"key": "p2", "prompt": "Cấp phép tần số", "answer": "Cục Tần số"},
        ],
        "distractors": ["UBND tỉnh"],
    }


def test_english_headers_in_any_case_and_without_diacritics_are_accepted():
    header = [
        "QUESTION NAME",
        "type",
        "Noi dung cau hoi",
        "option a",
        "Option B",
        "correct",
        "Difficulty",
        "Competency code",
        "Ghi chú",
    ]
    data = workbook(
        [["Q", "single choice", "Câu?", "x", "y", "b", "hard", "RAD-02", "bỏ qua"]], header=header
    )
    result = xlsx.read(data)
    assert result.ok, result.errors
    [q] = result.questions
    assert (q.name, q.qtype, q.difficulty, q.competency_code) == ("Q", "single", "hard", "RAD-02")
    assert [o["correct"] for o in q.options] == [False, True]


def test_a_title_row_above_the_header_is_allowed():
    book = Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG CÂU HỎI ĐO LƯỜNG"])
    sheet.append(HEADER)
    sheet.append(["", "Q", "Đúng/Sai", "", "", "", "Câu?", *[""] * 6, "Sai"])
    buffer = io.BytesIO()
    book.save(buffer)
    [q] = xlsx.read(buffer.getvalue()).questions
    assert q.position == 3 and q.options[1]["correct"] is True


def test_grades_can_be_written_explicitly():
    q = one(
        **BASE,
        **{
            "Loại câu hỏi": "Nhiều đáp án",
            "Phương án A": "a",
            "Phương án B": "b",
            "Phương án C": "c",
            "Đáp án đúng": "A 50%, B=50%, C: -100",
        },
    )
    assert [o["fraction"] for o in q.options] == [0.5, 0.5, -1.0]
    q = one(
        **BASE,
        **{
            "Loại câu hỏi": "nhieu dap an",
            "Phương án A": "a",
            "Phương án B": "b",
            "Phương án C": "c",
            "Phương án D": "d",
            "Đáp án đúng": "ABC",
        },
    )
    assert [o["fraction"] for o in q.options] == [0.3333333, 0.3333333, 0.3333333, -0.3333333]


def test_plain_cells_are_escaped_and_html_cells_are_sanitised():
    q = one(
        **{**BASE, "Nội dung câu hỏi": "1 < 2 & 3 > 2"},
        **{
            "Loại câu hỏi": "Đúng/Sai",
            "Đáp án đúng": "Đúng",
            "Giải thích": '<p onclick="x()">Xem <script>alert(1)</script><em>Điều 5</em></p>',
        },
    )
    assert q.stem == "1 &lt; 2 &amp; 3 &gt; 2"
    assert q.explanation == "<p>Xem <em>Điều 5</em></p>"


def test_decomposed_vietnamese_is_composed():
    name = unicodedata.normalize("NFD", "Phương tiện đo")
    q = one(**{**BASE, "Tên câu hỏi": name, "Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "S"})
    assert q.name == "Phương tiện đo"


def test_a_formula_cell_is_refused_with_its_row_and_column():
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER, "Ghi chú"])
    sheet.append(
        ["", "Q", "Đúng/Sai", "", "", "", '=CONCAT("a","b")', *[""] * 6, "Đúng", *[""] * 17, "=1+1"]
    )
    # text that only looks like a formula is text
    sheet.append(["", "Q2", "Một đáp án", "", "", "", "Câu?", "= 2 + 3", "= 2 + 4", *[""] * 4, "A"])
    sheet["H3"].data_type = "s"
    sheet["I3"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    result = xlsx.read(buffer.getvalue())
    assert [(e.position, e.name, e.field, e.code) for e in result.errors] == [
        (2, "Q", "Nội dung câu hỏi", "formula")
    ]
    [q] = result.questions
    assert [o["text"] for o in q.options] == ["= 2 + 3", "= 2 + 4"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"Loại câu hỏi": "Tự luận"}, ("Loại câu hỏi", "invalid_type")),
        (
            {"Loại câu hỏi": "Một đáp án", "Phương án A": "x", "Đáp án đúng": "B"},
            ("Đáp án đúng", "correct_not_an_option"),
        ),
        (
            {
                "Loại câu hỏi": "Một đáp án",
                "Phương án A": "x",
                "Phương án B": "y",
                "Đáp án đúng": "A, B",
            },
            ("Đáp án đúng", "single_several_correct"),
        ),
        (
            {"Loại câu hỏi": "Một đáp án", "Phương án A": "x", "Phương án B": "y"},
            ("Đáp án đúng", "no_correct"),
        ),
        (
            {
                "Loại câu hỏi": "Một đáp án",
                "Phương án A": "x",
                "Phương án B": "y",
                "Đáp án đúng": "Z?",
            },
            ("Đáp án đúng", "invalid_correct"),
        ),
        (
            {
                "Loại câu hỏi": "Nhiều đáp án",
                "Phương án A": "x",
                "Phương án B": "y",
                "Đáp án đúng": "A 30%, B 30%",
            },
            ("Đáp án đúng", "fractions_sum"),
        ),
        (
            {
                "Loại câu hỏi": "Nhiều đáp án",
                "Phương án A": "x",
                "Phương án B": "y",
                "Đáp án đúng": "A 33%, B 50%",
            },
            ("Đáp án đúng", "invalid_fraction"),
        ),
        ({"Loại câu hỏi": "Số", "Đáp số": "hai mươi"}, ("Đáp số", "not_a_number")),
        (
            {"Loại câu hỏi": "Số", "Đáp số": 1, "Sai số cho phép": -1},
            ("Đáp số", "negative_tolerance"),
        ),
        ({"Loại câu hỏi": "Số", "Đáp số": 1, "Đơn vị": "kg | g=nghìn"}, ("Đơn vị", "invalid_unit")),
        ({"Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Có lẽ"}, ("Đáp án đúng", "truefalse_key")),
        (
            {"Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Đúng", "Mức độ": "rất khó"},
            ("Mức độ", "invalid_difficulty"),
        ),
        (
            {"Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Đúng", "Ngày hiệu lực": "31/02/2020"},
            ("Ngày hiệu lực", "invalid_date"),
        ),
        (
            {"Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Đúng", "Xáo trộn phương án": "tuỳ"},
            ("Xáo trộn phương án", "not_yes_no"),
        ),
        ({"Loại câu hỏi": "Ghép đôi", "Cặp ghép": "a => b | c"}, ("Cặp ghép", "matching_format")),
        ({"Loại câu hỏi": "Ghép đôi", "Cặp ghép": "a => b"}, ("Cặp ghép", "too_few_pairs")),
        ({"Loại câu hỏi": "Trả lời ngắn"}, ("Đáp án chấp nhận", "no_full_credit")),
    ],
)
def test_a_wrong_cell_is_an_error_with_its_row_and_column(cells, expected):
    good = {**BASE, "Tên câu hỏi": "tốt", "Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Đúng"}
    assert row_errors(good, {**BASE, **cells}) == [(3, *expected)]


def test_header_problems_are_reported():
    result = xlsx.read(workbook([["x", "y"]], header=["Tên câu hỏi", "Tên câu hỏi"]))
    assert {e.code for e in result.errors} == {"header"}
    assert any("Nội dung câu hỏi" in e.field or "Nội dung" in e.message for e in result.errors)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"Name,Type\nx,y\n", "not_xlsx"),
        (b"PK\x03\x04 broken zip", "not_xlsx"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, code):
    assert [e.code for e in xlsx.read(data).errors] == [code]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert [e.code for e in xlsx.read(buffer.getvalue()).errors] == ["not_xlsx"]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_QUESTIONS", 2)
    rows = [{**BASE, "Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Đúng"}] * 5
    assert [e.code for e in xlsx.read(workbook(rows)).errors] == ["too_many_questions"]


# --- writing -------------------------------------------------------------------------------------


def test_the_template_has_the_headers_their_help_and_an_example():
    data = xlsx.write_template()
    book = load_workbook(io.BytesIO(data))
    sheet = book[xlsx.SHEET_TITLE]
    assert [c.value for c in sheet[1]] == HEADER
    assert "MET-01" in sheet["E1"].comment.text
    assert sheet.max_row == 1
    help_sheet = book[xlsx.HELP_SHEET_TITLE]
    texts = [c.value for row in help_sheet.iter_rows() for c in row if c.value]
    assert "Đáp án đúng" in texts and "MET-01 cân bàn chợ" in texts
    # the empty template reads as a file without questions, not as a crash
    assert [e.code for e in xlsx.read(data).errors] == ["header"]


def test_the_example_of_the_help_sheet_imports():
    book = load_workbook(io.BytesIO(xlsx.write_template()))
    rows = [[c.value for c in row] for row in book[xlsx.HELP_SHEET_TITLE].iter_rows()]
    start = rows.index(HEADER)
    result = xlsx.read(workbook(rows[start + 1 :]))
    assert result.ok, result.errors
    assert [q.qtype for q in result.questions] == ["single", "numeric", "matching"]


def test_exported_text_that_looks_like_a_formula_stays_text():
    q, errors = model.finalise(
        QuestionData(
            name='=HYPERLINK("http://x")',
            qtype="single",
            stem="@SUM(A1)",
            options=[{"text": "= 2 + 3", "fraction": 1.0}, {"text": "-1", "fraction": 0.0}],
        )
    )
    assert not errors
    data = xlsx.write([q])
    sheet = load_workbook(io.BytesIO(data)).active
    for cell in (sheet["B2"], sheet["G2"], sheet["H2"], sheet["I2"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert xlsx.read(data).questions == [q]


def test_what_the_template_cannot_hold_is_said_and_grading_changes_are_left_out():
    questions = read_moodle("truefalse.xml").questions + read_gift("questions.gift.txt").questions
    warnings = []
    data = xlsx.write(questions, warnings=warnings)
    skipped = [(w.name, w.code) for w in warnings if w.skipped]
    assert skipped == [("Shortanswer", "not_expressible")]  # partial credit answers
    lost = {w.name for w in warnings if not w.skipped}
    assert {"Moodle acronym (False)", "Q2", "colours", "Q1"} <= lost
    result = xlsx.read(data)
    assert result.ok
    assert [q.name for q in result.questions] == [
        q.name for q in questions if q.name != "Shortanswer"
    ]


def test_a_bank_goes_through_the_template_and_back():
    questions = [
        q
        for name in ("gift-examples.txt", "questions_in_category.gift.txt")
        for q in read_gift(name).questions
    ]
    warnings = []
    again = xlsx.read(xlsx.write(questions, warnings=warnings))
    assert again.ok
    skipped = [w.name for w in warnings if w.skipped]
    assert skipped == [
        "When was Ulysses S. Grant born?",  # two numeric answers
        "Jesus' hometown",  # short answers with partial credit
        "Jesus' hometown (Short answer ex.)",
        "Numerical example",
    ]
    kept = [q for q in questions if not (q.name in skipped and _partial(q))]
    assert len(again.questions) == len(kept)
    for original, back in zip(kept, again.questions, strict=True):
        if _has_feedback(original):
            assert (back.name, back.qtype, back.stem) == (
                original.name,
                original.qtype,
                original.stem,
            )
        else:
            assert back == original


def _partial(q) -> bool:
    answers = q.data.get("answers", [])
    return (
        len(answers) > 1
        and any(a["fraction"] != 1.0 for a in answers)
        or (q.qtype == "numeric" and len(answers) > 1)
    )


def _has_feedback(q) -> bool:
    return any(o["feedback"] for o in q.options) or any(
        a.get("feedback") for a in q.data.get("answers", [])
    )
