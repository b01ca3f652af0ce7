"""Reads for the question bank's admin screens."""

from django.db.models import Count
from wagtail.models import ModelLogEntry

from .models import Question, QuestionVersion


def question_versions(*, question: Question) -> list[QuestionVersion]:
    """Every version, newest first, with its author."""
    return list(question.versions.select_related("created_by").order_by("-number"))


def question_history(*, question: Question) -> list[ModelLogEntry]:
    """Who did what to the question and when (new versions, review steps, edits), newest
    first, from Wagtail's audit log."""
    return list(ModelLogEntry.objects.for_instance(question).select_related("user"))


def approved_question_counts(*, cells) -> dict[tuple[int, str], int]:
    """How many approved questions the bank holds for each (competency id, difficulty) pair
    asked for, in one query whatever the number of pairs."""
    cells = set(cells)
    if not cells:
        return {}
    rows = (
        Question.objects.filter(
            approved_version__isnull=False,
            competency_id__in={competency_id for competency_id, _ in cells},
        )
        .values_list("competency_id", "difficulty")
        .annotate(available=Count("pk"))
        .order_by()
    )
    available = {(competency_id, difficulty): n for competency_id, difficulty, n in rows}
    return {cell: available.get(cell, 0) for cell in cells}
