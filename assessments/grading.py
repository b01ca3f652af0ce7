"""Pure scoring rules: no database, so they are easy to test exhaustively."""

from collections import defaultdict

from .models import Question


def correct_keys(options: list[dict]) -> set[str]:
    return {o["key"] for o in options if o.get("correct")}


def response_is_valid(*, qtype: str, options: list[dict], response: list[str]) -> bool:
    keys = {o["key"] for o in options}
    if not set(response) <= keys or len(set(response)) != len(response):
        return False
    if qtype in (Question.Type.SINGLE_CHOICE, Question.Type.TRUE_FALSE):
        return len(response) <= 1
    return True


def item_score(*, qtype: str, options: list[dict], response: list[str] | None) -> float:
    """1.0 for a right answer, 0.0 for a wrong or missing one. Multiple choice gives partial
    credit: right picks minus wrong picks over the number of right options, never below 0."""
    if not response:
        return 0.0
    right = correct_keys(options)
    chosen = set(response)
    if qtype == Question.Type.MULTIPLE_CHOICE:
        if not right:
            return 0.0
        return max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
    return 1.0 if chosen == right else 0.0


def scores_by_competency(items: list[tuple[str, float]]) -> dict[str, float]:
    """Percent per competency code from (code, item score) pairs."""
    totals: dict[str, list[float]] = defaultdict(list)
    for code, score in items:
        totals[code].append(score)
    return {code: round(100 * sum(s) / len(s), 2) for code, s in totals.items()}
