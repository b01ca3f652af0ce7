"""Hypothesis strategies for varied question banks, restricted per format to what that format
can express (the restrictions are the formats' documented limits, nothing more)."""

from datetime import date
from urllib.parse import quote

from hypothesis import strategies as st

from assessments.interchange import model
from assessments.interchange.model import QuestionData
from assessments.interchange.richtext import escape_text

VIETNAMESE = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƠƯ"
# GIFT's control characters, XML's, spreadsheet formula starters, and a few odd ones
SPECIAL = "~=#{}:\\[]<>&\"'%@+-*/_.,;!?()\u00a0€😀"
PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 " + VIETNAMESE + SPECIAL
# tags and the fields that travel as tags: GIFT's comment tags cannot hold these
TAG_UNSAFE = {"gift": "[]<>`\\", "xlsx": ",;", "moodlexml": ""}
LIST_UNSAFE = "|"  # the template's list separator
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR"


def words(fmt: str = "moodlexml", *, exclude: str = "", min_size: int = 1, max_size: int = 24):
    alphabet = "".join(c for c in PLAIN if c not in exclude)
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
        .map(model.clean_line)
        .filter(lambda t: len(t) >= min_size)
    )


FILE_NAMES = st.sampled_from(["hình 1.png", "logo.png", "a-b_c.png", "sơ đồ.png"])


@st.composite
def html(draw, fmt: str, *, images: bool = True) -> str:
    """A fragment of the HTML trainers write: text with formatting, lists, links, images."""
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        text = escape_text(draw(words(fmt)))
        kind = draw(st.sampled_from(["text", "strong", "em", "p", "li", "a", "img", "br", "table"]))
        if kind == "strong":
            pieces.append(f"<strong>{text}</strong>")
        elif kind == "em":
            pieces.append(f"<em>{text}</em>")
        elif kind == "p":
            pieces.append(f"<p>{text}</p>")
        elif kind == "li":
            pieces.append(f"<ul><li>{text}</li><li>{text}</li></ul>")
        elif kind == "a":
            pieces.append(f'<a href="https://thuvienphapluat.vn/x?a=1&amp;b=2">{text}</a>')
        elif kind == "img" and images:
            name = draw(FILE_NAMES)
            pieces.append(f'<img src="@@PLUGINFILE@@/{quote(name)}" alt="{text}">')
        elif kind == "br":
            pieces.append(f"{text}<br>{text}")
        elif kind == "table":
            pieces.append(f"<table><tbody><tr><td>{text}</td></tr></tbody></table>")
        else:
            pieces.append(text)
    # the template cannot tell a plain cell with a line break from HTML without a tag
    joiner = draw(st.sampled_from([" "] if fmt == "xlsx" else [" ", "\n", ""]))
    return joiner.join(pieces)


GRADES_NONZERO = [g for g in model.GRADES if g not in (0.0, 1.0)]


@st.composite
def question(draw, fmt: str = "moodlexml") -> QuestionData:
    qtype = draw(st.sampled_from(model.QTYPES))
    feedback_allowed = fmt != "xlsx"
    tag_words = words(fmt, exclude=TAG_UNSAFE[fmt] + ":", max_size=15)
    safe_meta = words(fmt, exclude=TAG_UNSAFE[fmt], max_size=30)

    def feedback():
        if not feedback_allowed:
            return ""
        return draw(st.one_of(st.just(""), html(fmt)))

    q = QuestionData(
        name=draw(words(fmt, max_size=40)),
        qtype=qtype,
        stem=draw(html(fmt)),
        explanation=draw(st.one_of(st.just(""), html(fmt))),
        category="/".join(
            draw(st.lists(words(fmt, exclude="/\\" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), max_size=3))
        ),
        tags=draw(st.lists(tag_words, max_size=3)),
        competency_code=draw(st.sampled_from(["", "MET-01", "RAD-12", "KHCN-3A"])),
        difficulty=draw(st.sampled_from(["", "easy", "medium", "hard"])),
        legal_document=draw(st.one_of(st.just(""), safe_meta)),
        legal_article=draw(st.one_of(st.just(""), safe_meta)),
        legal_effective_date=draw(
            st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2100, 1, 1)))
        ),
        idnumber=draw(st.one_of(st.just(""), safe_meta)),
        shuffle_options=draw(st.booleans()),
    )
    if qtype in ("single", "multiple"):
        count = draw(st.integers(2, 6 if fmt == "xlsx" else 8))
        texts = [draw(html(fmt)) for _ in range(count)]
        if qtype == "single":
            fractions = [draw(st.sampled_from([0.0, *GRADES_NONZERO])) for _ in range(count)]
            fractions[draw(st.integers(0, count - 1))] = 1.0
        else:
            right = draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=min(count, 6)))
            share = model.snap_fraction(1 / len(right))
            wrong = draw(st.sampled_from([0.0, -share, -1.0]))
            fractions = [share if i in right else wrong for i in range(count)]
        q.options = [
            {"text": text, "fraction": fraction, "feedback": feedback()}
            for text, fraction in zip(texts, fractions, strict=True)
        ]
    elif qtype == "truefalse":
        right = draw(st.sampled_from(["true", "false"]))
        q.options = [
            {"key": key, "fraction": 1.0 if key == right else 0.0, "feedback": feedback()}
            for key in ("true", "false")
        ]
    elif qtype == "numeric":
        count = 1 if fmt == "xlsx" else draw(st.integers(1, 3))
        numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
        answers = [
            {
                "value": draw(numbers),
                "tolerance": draw(st.floats(min_value=0, max_value=1e6, allow_nan=False)),
                "fraction": 1.0 if i == 0 else draw(st.sampled_from(GRADES_NONZERO)),
                "feedback": feedback(),
            }
            for i in range(count)
        ]
        unit_names = words(fmt, exclude="[]=|\\", max_size=8)
        positive = st.floats(min_value=1e-9, max_value=1e9, allow_nan=False)
        units = [
            {"unit": draw(unit_names), "multiplier": 1.0 if i == 0 else draw(positive)}
            for i in range(draw(st.integers(0, 3)))
        ]
        q.data = {"answers": answers, "units": units, "unit_required": draw(st.booleans())}
    elif qtype == "shorttext":
        exclude = {"gift": "", "xlsx": LIST_UNSAFE, "moodlexml": ""}[fmt]
        texts = st.text(
            alphabet="".join(c for c in PLAIN if c not in exclude), min_size=1, max_size=20
        ).map(model.clean_line)
        if fmt == "gift":  # "->" would make the answers a matching question
            texts = texts.filter(lambda t: "->" not in t)
        answers = [
            {
                "text": draw(texts.filter(bool)),
                "fraction": 1.0 if i == 0 or fmt == "xlsx" else draw(st.sampled_from(model.GRADES)),
                "feedback": feedback(),
            }
            for i in range(draw(st.integers(1, 4)))
        ]
        q.data = {
            "answers": answers,
            "case_sensitive": draw(st.booleans()),
            "ignore_diacritics": draw(st.booleans()),
        }
    else:
        answer_exclude = "|" if fmt == "xlsx" else ""
        answers = words(fmt, exclude=answer_exclude, max_size=20)
        if fmt == "xlsx":
            answers = answers.filter(lambda t: "=>" not in t and "->" not in t)
        q.data = {
            "pairs": [
                {"prompt": draw(html(fmt, images=fmt != "xlsx")), "answer": draw(answers)}
                for _ in range(draw(st.integers(2, 4)))
            ],
            "distractors": draw(st.lists(answers, max_size=2)),
        }
    q.files = {name: PNG + name.encode() for name in draw(st.sets(FILE_NAMES, max_size=3))}
    return q


def canonical(fmt: str = "moodlexml"):
    """Questions as a reader would produce them (the canonical form), valid ones only."""

    def settle(q: QuestionData):
        final, errors = model.finalise(q)
        return None if errors else final

    return question(fmt).map(settle).filter(lambda q: q is not None)
