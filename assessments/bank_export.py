"""Exporting the question bank (or part of it) as a Moodle XML, GIFT or XLSX file.

Each question goes out in its newest version with its competency code, difficulty, legal basis,
tags and Moodle ID number (the tag "idnumber:<value>"); images of the bank referred to by their
URL travel inside the file as embedded files ("@@PLUGINFILE@@/name"), so that the file imported
here or into Moodle shows them. A file exported here and imported again gives the same bank
(`assessments.bank_import` matches every question to itself and changes nothing)."""

from __future__ import annotations

import posixpath
import re
from html import unescape

from django.conf import settings
from django.db.models import QuerySet

from . import interchange
from .bank_import import IDNUMBER_TAG, standard_fractions
from .interchange import ExportWarning, QuestionData, richtext
from .models import Question

_SRC = re.compile(r"""(\bsrc\s*=\s*)(["'])([^"']+)\2""", re.I)


def _fractions(qtype: str, options: list[dict]) -> list[dict]:
    """Options with a fraction each: the stored ones, or those `correct` means (the bank's
    partial-credit rule, as in `interchange.from_plain_payload`)."""
    options = [
        {
            **o,
            "text": richtext.sanitize_html(o.get("text", "")),
            "feedback": richtext.sanitize_html(o.get("feedback", "")),
        }
        for o in options
    ]
    if options and all(o.get("fraction") is None for o in options):
        for o, fraction in zip(options, standard_fractions(qtype, options), strict=True):
            o["fraction"] = fraction
    return options


class _Images:
    """Bank images found in texts by URL, read once, handed out as embedded files."""

    def __init__(self):
        from wagtail.images import get_image_model

        self.model = get_image_model()
        self.cache: dict[str, tuple[str, bytes] | None] = {}

    def lookup(self, url: str) -> tuple[str, bytes] | None:
        if url not in self.cache:
            self.cache[url] = None
            media = settings.MEDIA_URL or "/media/"
            if url.startswith(media):
                image = self.model.objects.filter(file=url[len(media) :]).first()
                if image is not None:
                    with image.open_file() as handle:
                        self.cache[url] = (posixpath.basename(image.file.name), handle.read())
        return self.cache[url]

    def embed(self, text: str, files: dict[str, bytes]) -> str:
        if not text or "src" not in text:
            return text

        def swap(match: re.Match) -> str:
            found = self.lookup(unescape(match.group(3)))
            if found is None:
                return match.group(0)
            name = richtext.add_file(files, *found)
            return (
                f"{match.group(1)}{match.group(2)}{richtext.plugin_file_url(name)}{match.group(2)}"
            )

        return _SRC.sub(swap, text)


def question_to_data(question: Question, *, images: _Images | None = None) -> QuestionData:
    """The neutral form of a question's newest version (before `finalise`)."""
    images = images or _Images()
    version = question.current_version
    files: dict[str, bytes] = {}
    tags = sorted(question.tags.names())
    idnumber = next((t[len(IDNUMBER_TAG) :] for t in tags if t.startswith(IDNUMBER_TAG)), "")

    def embed(text: str) -> str:
        return images.embed(text or "", files)

    options = [
        {**o, "text": embed(o["text"]), "feedback": embed(o["feedback"])}
        for o in _fractions(question.qtype, version.options or [])
    ]
    data = dict(version.data or {})
    if "answers" in data:
        data["answers"] = [
            {**a, "feedback": embed(richtext.sanitize_html(a.get("feedback", "")))}
            for a in data["answers"]
        ]
    if "pairs" in data:
        data["pairs"] = [
            {**p, "prompt": embed(richtext.sanitize_html(p.get("prompt", "")))}
            for p in data["pairs"]
        ]
    return QuestionData(
        name=question.name,
        qtype=question.qtype,
        stem=embed(version.stem),
        explanation=embed(version.explanation),
        options=options,
        data=data,
        category=question.competency.code,
        tags=[t for t in tags if not t.startswith(IDNUMBER_TAG)],
        competency_code=question.competency.code,
        difficulty=question.difficulty,
        legal_document=question.legal_document,
        legal_article=question.legal_article,
        legal_effective_date=question.legal_effective_date,
        files=files,
        idnumber=idnumber,
    )


def bank_export_queryset(*, status: str = "") -> QuerySet[Question]:
    questions = Question.objects.exclude(current_version=None)
    if status:
        questions = questions.filter(status=status)
    return questions


def bank_export(
    *, format: str, questions: QuerySet[Question] | None = None
) -> tuple[bytes, list[ExportWarning]]:
    """The questions (default: the whole bank) as a file in `format`, and what the format could
    not hold (a question it cannot hold at all is left out and listed as skipped)."""
    if questions is None:
        questions = bank_export_queryset()
    questions = (
        questions.exclude(current_version=None)
        .select_related("competency", "current_version")
        .prefetch_related("tags")
        .order_by("competency__code", "pk")
    )
    images = _Images()
    warnings: list[ExportWarning] = []
    ready = []
    for question in questions:
        data, errors = interchange.finalise(question_to_data(question, images=images))
        if errors:
            warnings.append(
                ExportWarning(
                    question.name, errors[0].code, "; ".join(e.message for e in errors), True
                )
            )
            continue
        ready.append(data)
    return interchange.write_questions(ready, format=format, warnings=warnings), warnings
