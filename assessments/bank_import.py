"""Importing a question file into the bank: preview, then confirm.

`bank_import_preview` parses a file (Moodle XML, GIFT or the trainers' XLSX, through
`assessments.interchange`), maps each question to the bank (its competency code and difficulty,
or the defaults chosen for questions without them; an unknown competency code is an error for
that question) and says what confirming would do to each question: create it, add a version to
the question it matches, or nothing because that question already says the same. Nothing is
written.

`bank_import_apply` does it, all or nothing in one transaction: any error, in the file or in a
question, and nothing is written. Embedded images become Wagtail images in the collection
"Ngân hàng câu hỏi" (the same bytes are stored once) and each "@@PLUGINFILE@@/name" in a text
becomes that image's URL.

Matching: a question of the file matches a question of the bank with the same Moodle ID number
(kept as the tag "idnumber:<value>"), otherwise with the same name, competency and type (Moodle
files often repeat a name; the n-th question of the file with a name matches the n-th such
question of the bank). Re-importing a file therefore changes nothing.

Imported questions start as drafts: a new question is a draft, and a new version of an existing
question is a draft again until reviewed and approved (exams keep drawing the approved version
meanwhile), as with every edit in the bank.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competencies.models import Competency

from . import interchange
from .bank_payload import PayloadError, payload_clean
from .interchange import ParseError, QuestionData, richtext
from .interchange import model as imodel
from .models import Difficulty, Question
from .services import _sanitise, question_create, question_update

COLLECTION_NAME = "Ngân hàng câu hỏi"
IDNUMBER_TAG = "idnumber:"
CREATE, VERSION, UNCHANGED = "create", "version", "unchanged"


class ImportRefused(Exception):
    """The file or one of its questions has an error; nothing was written."""

    def __init__(self, plan: ImportPlan):
        super().__init__(_("The file has errors; nothing was imported."))
        self.plan = plan


# how the preview names each format and each part of a question an error points at (an XLSX
# error names the column header of the file itself)
FORMAT_LABELS = {
    "moodlexml": "Moodle XML",
    "gift": "GIFT",
    "xlsx": gettext_lazy("XLSX (the bank's template)"),
}
FIELD_LABELS = {
    "name": gettext_lazy("Question name"),
    "stem": gettext_lazy("Question text"),
    "options": gettext_lazy("Options"),
    "data": gettext_lazy("Answers"),
    "qtype": gettext_lazy("Question type"),
    "competency": gettext_lazy("Competency"),
    "competency_code": gettext_lazy("Competency"),
    "difficulty": gettext_lazy("Difficulty"),
    "legal_document": gettext_lazy("Legal document"),
    "legal_article": gettext_lazy("Article"),
    "legal_effective_date": gettext_lazy("Effective date"),
    "explanation": gettext_lazy("Explanation"),
    "tags": gettext_lazy("Tags"),
}
ACTION_LABELS = {
    CREATE: gettext_lazy("new question"),
    VERSION: gettext_lazy("new version of an existing question"),
    UNCHANGED: gettext_lazy("unchanged (already in the bank)"),
}


def format_label(value: str) -> str:
    return str(FORMAT_LABELS.get(value, value))


def field_label(value: str) -> str:
    return str(FIELD_LABELS.get(value, value))


@dataclass(frozen=True)
class PreviewVersion:
    """What the version written for a question would hold, shaped like a QuestionVersion for
    the bank's templates (assessments/admin/includes/version_body.html)."""

    stem: str
    options: list
    data: dict
    explanation: str


@dataclass
class PlannedQuestion:
    question: QuestionData
    competency: Competency | None
    difficulty: str
    action: str = CREATE
    existing: Question | None = None
    version: PreviewVersion | None = None

    @property
    def qtype_label(self) -> str:
        return qtype_label(self.question.qtype)

    @property
    def difficulty_label(self) -> str:
        return difficulty_label(self.difficulty)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


@dataclass
class ImportPlan:
    format: str
    encoding: str = ""
    items: list[PlannedQuestion] = field(default_factory=list)
    skipped: list = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    notices: list = field(default_factory=list)
    # (question name, what the bank does not keep)
    losses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def counts(self) -> dict:
        return {
            "questions": len(self.items),
            "create": self.count(CREATE),
            "version": self.count(VERSION),
            "unchanged": self.count(UNCHANGED),
            "skipped": len(self.skipped),
            "errors": len(self.errors),
        }


# --- preview -------------------------------------------------------------------------------------


def _error(q: QuestionData, code: str, message: str, fieldname: str = "") -> ParseError:
    return ParseError(q.position, q.name, code, message, fieldname)


def _idnumber_of(question: Question) -> str:
    for name in question.tags.names():
        if name.startswith(IDNUMBER_TAG):
            return name[len(IDNUMBER_TAG) :]
    return ""


def _tags_for(q: QuestionData) -> list[str]:
    tags = [t for t in q.tags if not t.startswith(IDNUMBER_TAG)]
    if q.idnumber:
        tags.append(IDNUMBER_TAG + q.idnumber)
    return sorted(set(tags))


def _metadata(q: QuestionData, difficulty: str) -> tuple:
    return (
        difficulty,
        q.legal_document[:255],
        q.legal_article[:100],
        q.legal_effective_date,
        _tags_for(q),
    )


def _question_metadata(question: Question) -> tuple:
    return (
        question.difficulty,
        question.legal_document,
        question.legal_article,
        question.legal_effective_date,
        sorted(question.tags.names()),
    )


def standard_fractions(qtype: str, options: list[dict]) -> list[float]:
    """The fractions the bank gives options stored without any (its partial-credit rule, as
    in `interchange.from_plain_payload`): single choice and true/false 1 for the right one;
    multiple choice 1/n for each of n right options, -1/n for each wrong one."""
    right = sum(1 for o in options if o.get("correct")) or 1
    share = imodel.snap_fraction(1 / right) or 1 / right
    if qtype == Question.Type.MULTIPLE_CHOICE:
        return [share if o.get("correct") else -share for o in options]
    return [1.0 if o.get("correct") else 0.0 for o in options]


def _options_to_store(qtype: str, options: list[dict]) -> list[dict]:
    """Options whose fractions are exactly the standard rule's are stored without them, as the
    admin form stores them: a question exported and imported again stays the same."""
    if not options or any(o.get("fraction") is None for o in options):
        return options
    rule = standard_fractions(qtype, options)
    if all(abs(o["fraction"] - f) < 1e-6 for o, f in zip(options, rule, strict=True)):
        return [{k: v for k, v in o.items() if k != "fraction"} for o in options]
    return options


def _content(q: QuestionData, urls: dict[str, str]) -> tuple:
    """What the version written for `q` would hold (stem, options, data, explanation), with
    images already replaced by `urls`; raises PayloadError."""
    q = _with_urls(q, urls)
    options, data = payload_clean(
        qtype=q.qtype, options=_options_to_store(q.qtype, q.options), data=q.data
    )
    return (_sanitise(q.stem), options, data, _sanitise(q.explanation))


def _with_urls(q: QuestionData, urls: dict[str, str]) -> QuestionData:
    if not q.files:
        return q

    def swap(text: str) -> str:
        return richtext.replace_plugin_files(text, urls) if text else text

    options = [
        {**o, "text": swap(o.get("text", "")), "feedback": swap(o.get("feedback", ""))}
        for o in q.options
    ]
    data = dict(q.data)
    if "answers" in data:
        data["answers"] = [{**a, "feedback": swap(a.get("feedback", ""))} for a in data["answers"]]
    if "pairs" in data:
        data["pairs"] = [{**p, "prompt": swap(p.get("prompt", ""))} for p in data["pairs"]]
    return replace(
        q, stem=swap(q.stem), explanation=swap(q.explanation), options=options, data=data
    )


def _existing_image_urls(files: dict[str, bytes]) -> dict[str, str]:
    """The URL each embedded file would get, for files already stored in the bank (so that a
    re-import compares equal); files not stored yet are missing."""
    from wagtail.images import get_image_model

    if not files:
        return {}
    hashes = {
        name: hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own file hash
        for name, content in files.items()
    }
    images = {
        image.file_hash: image
        for image in get_image_model().objects.filter(file_hash__in=set(hashes.values()))
    }
    return {name: images[h].file.url for name, h in hashes.items() if h in images}


def bank_import_preview(
    *,
    data: bytes,
    filename: str = "",
    format: str | None = None,
    default_competency: Competency | None = None,
    default_difficulty: str = "",
) -> ImportPlan:
    """What importing this file would do; writes nothing, never raises on the file."""
    fmt = format or interchange.detect_format(filename, data[:4096]) or "gift"
    result = interchange.read_questions(data, format=fmt, filename=filename)
    plan = ImportPlan(
        format=fmt,
        encoding=result.encoding,
        skipped=list(result.skipped),
        errors=list(result.errors),
        notices=list(result.notices),
    )
    failed = {(e.position, e.name) for e in result.errors}
    codes = {q.competency_code for q in result.questions if q.competency_code}
    competencies = {c.code: c for c in Competency.objects.filter(code__in=codes)}
    all_files: dict[str, bytes] = {}
    for q in result.questions:
        all_files.update(q.files)
    known_urls = _existing_image_urls(all_files)
    # bank questions that can match: by ID number, and by (name, competency, type) in order
    by_key: dict[tuple, list[Question]] = defaultdict(list)
    by_idnumber: dict[str, Question] = {}
    names = {q.name for q in result.questions}
    idnumbers = {IDNUMBER_TAG + q.idnumber for q in result.questions if q.idnumber}
    candidates = (
        Question.objects.filter(name__in=names) | Question.objects.filter(tags__name__in=idnumbers)
    ).distinct()
    for question in (
        candidates.select_related("current_version").prefetch_related("tags").order_by("pk")
    ):
        by_key[(question.name, question.competency_id, question.qtype)].append(question)
        idnumber = _idnumber_of(question)
        if idnumber:
            by_idnumber.setdefault(idnumber, question)
    taken: set[int] = set()

    for q in result.questions:
        errors = []
        competency = default_competency
        if q.competency_code:
            competency = competencies.get(q.competency_code)
            if competency is None:
                errors.append(
                    _error(
                        q,
                        "unknown_competency",
                        _("The competency code “%(code)s” is not in the competency framework.")
                        % {"code": q.competency_code},
                        "competency",
                    )
                )
        elif competency is None:
            errors.append(
                _error(
                    q,
                    "competency_missing",
                    _("The question names no competency and no default competency was chosen."),
                    "competency",
                )
            )
        difficulty = q.difficulty or default_difficulty
        if difficulty not in Difficulty.values:
            errors.append(
                _error(
                    q,
                    "difficulty_missing",
                    _("The question gives no difficulty and no default difficulty was chosen."),
                    "difficulty",
                )
            )
        try:
            content = _content(q, known_urls)
        except PayloadError as error:
            errors += [_error(q, "invalid_payload", message) for message in error.messages]
            content = None
        if not q.shuffle_options:
            plan.losses.append((q.name, _("the order of its options is kept by the exam")))
        if errors:
            plan.errors += errors
            continue
        if (q.position, q.name) in failed:
            continue
        item = PlannedQuestion(
            question=q,
            competency=competency,
            difficulty=difficulty,
            version=PreviewVersion(*content),
        )
        existing = by_idnumber.get(q.idnumber) if q.idnumber else None
        if existing is not None and existing.pk in taken:
            existing = None
        if existing is None:
            existing = next(
                (
                    c
                    for c in by_key[(q.name, competency.pk, q.qtype)]
                    if c.pk not in taken and (not q.idnumber or not _idnumber_of(c))
                ),
                None,
            )
        if existing is not None:
            taken.add(existing.pk)
            item.existing = existing
            if existing.qtype != q.qtype:
                plan.errors.append(
                    _error(
                        q,
                        "type_changed",
                        _(
                            "The question with this ID number in the bank is of another type; "
                            "a question's type cannot change."
                        ),
                    )
                )
                continue
            version = existing.current_version
            same = (
                version is not None
                and not set(q.files) - set(known_urls)
                and (version.stem, version.options, version.data, version.explanation) == content
                and existing.competency_id == competency.pk
                and _question_metadata(existing) == _metadata(q, difficulty)
            )
            item.action = UNCHANGED if same else VERSION
        plan.items.append(item)
    return plan


# --- apply ---------------------------------------------------------------------------------------


def _collection():
    from wagtail.models import Collection

    existing = Collection.objects.filter(name=COLLECTION_NAME).first()
    if existing is not None:
        return existing
    return Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def _store_images(files: dict[str, bytes], *, user) -> dict[str, str]:
    """Each embedded file as a Wagtail image (reused when the same bytes are stored already);
    name → the original file's URL."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    Image = get_image_model()
    urls = _existing_image_urls(files)
    collection = None
    for name, content in files.items():
        if name in urls:
            continue
        collection = collection or _collection()
        filename = richtext.clean_filename(posixpath.basename(name)) or "image"
        if not mimetypes.guess_type(filename)[0]:
            filename += "." + (richtext.image_kind(content) or "png")
        image = Image(
            title=posixpath.splitext(filename)[0][:255] or filename,
            collection=collection,
            uploaded_by_user=user,
        )
        image.file = ImageFile(io.BytesIO(content), name=filename)
        image.file_hash = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own hash
        image.file_size = len(content)
        image.save()
        urls[name] = image.file.url
    return urls


@transaction.atomic
def bank_import_apply(
    *,
    data: bytes,
    filename: str = "",
    format: str | None = None,
    default_competency: Competency | None = None,
    default_difficulty: str = "",
    user=None,
) -> ImportPlan:
    """Imports the file, all or nothing; raises ImportRefused (nothing written) when the
    preview has any error. Returns the plan that was carried out."""
    plan = bank_import_preview(
        data=data,
        filename=filename,
        format=format,
        default_competency=default_competency,
        default_difficulty=default_difficulty,
    )
    if not plan.ok:
        raise ImportRefused(plan)
    files: dict[str, bytes] = {}
    for item in plan.items:
        if item.action != UNCHANGED:
            files.update(item.question.files)
    try:
        urls = _store_images(files, user=user)
    except Exception as error:  # noqa: BLE001 - a broken image is the file's fault
        plan.errors.append(
            ParseError(None, "", "image_not_saved", _("An embedded image could not be stored."))
        )
        raise ImportRefused(plan) from error
    for item in plan.items:
        if item.action == UNCHANGED:
            continue
        q = _with_urls(item.question, urls)
        fields = {
            "stem": q.stem,
            "options": _options_to_store(q.qtype, q.options),
            "data": q.data,
            "explanation": q.explanation,
            "author": user,
        }
        try:
            if item.existing is None:
                question_create(
                    name=q.name,
                    qtype=q.qtype,
                    competency=item.competency,
                    difficulty=item.difficulty,
                    tags=_tags_for(q),
                    legal_document=q.legal_document[:255],
                    legal_article=q.legal_article[:100],
                    legal_effective_date=q.legal_effective_date,
                    **fields,
                )
            else:
                question = item.existing
                question.competency = item.competency
                question.difficulty = item.difficulty
                question.legal_document = q.legal_document[:255]
                question.legal_article = q.legal_article[:100]
                question.legal_effective_date = q.legal_effective_date
                question_update(question=question, **fields)
                question.tags.set(_tags_for(q))
        except Exception as error:  # noqa: BLE001 - turned into a per-question error
            message = getattr(error, "message", None) or str(error)
            plan.errors.append(_error(q, "not_saved", message))
            transaction.set_rollback(True)
            raise ImportRefused(plan) from error
    return plan


def difficulty_label(value: str) -> str:
    return str(dict(Difficulty.choices).get(value, value))


def qtype_label(value: str) -> str:
    return str(dict(Question.Type.choices).get(value, value))


__all__ = [
    "COLLECTION_NAME",
    "ImportPlan",
    "ImportRefused",
    "PlannedQuestion",
    "bank_import_apply",
    "bank_import_preview",
]
