"""Item statistics: how each question version performs in graded attempts.

One `ItemStatistic` row per `QuestionVersion`: attempts, facility index (mean item score, 0–1),
discrimination (point-biserial correlation between the item score and the rest-of-test score,
plus the upper/lower 27 % index), the share of attempts choosing each option of a choice
question, and the flags trainers act on.

The officer's submit never computes them. Once the grading has committed it only marks the
versions the attempt drew as pending (`ItemStatisticPending`, one INSERT … SELECT whatever the
number of earlier attempts). The marked versions are recomputed, each once however many
attempts marked it, by whoever comes first: the Celery task queued by the first mark (scale
mode, `item_statistics_recompute_pending_task`, delayed by `RECOMPUTE_COUNTDOWN` to gather a
burst of submissions), the periodic `compute_item_statistics --pending` (beat or cron), or a
trainer opening the report or a question (capped per request). Without a broker no task is
queued: the request would run it inline. `manage.py compute_item_statistics` recomputes all.
"""

import math
from collections import defaultdict

from celery import current_app
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from lms.queue import task_enqueue

from .models import (
    Attempt,
    AttemptItem,
    ItemStatistic,
    ItemStatisticPending,
    Question,
    QuestionVersion,
)

# --- thresholds: the one place that says when a question is flagged -------------------------
# a version is judged only after this many graded attempts: below, the figures are noise
MIN_ATTEMPTS_FOR_FLAGS = 10
TOO_EASY_ABOVE = 0.9  # facility > 0.9
TOO_HARD_BELOW = 0.2  # facility < 0.2
NEGATIVE_DISCRIMINATION_BELOW = 0.0  # point-biserial < 0
# upper/lower groups: the top and bottom 27 % of attempts by rest-of-test score
UPPER_LOWER_SHARE = 0.27

CHOICE_TYPES = Question.CHOICE_TYPES

# --- when pending versions are recomputed ----------------------------------------------------
# scale mode: the task queued by the first mark waits this long, so a burst of submissions of
# one exam is recomputed once
RECOMPUTE_COUNTDOWN = 30
# versions recomputed together (4 queries per batch)
RECOMPUTE_BATCH = 200
# a trainer's page recomputes at most this many pending versions before it shows
RECOMPUTE_PER_REQUEST = 500


# --- computation ---------------------------------------------------------------------------


def _is_unanswered(response) -> bool:
    if not response:
        return True
    if isinstance(response, dict):
        return not any(value not in (None, "", [], {}) for value in response.values())
    return False


def _chosen_keys(response) -> set[str]:
    """The option keys an attempt chose; anything the page could not have sent counts as none."""
    if isinstance(response, str):
        return {response}
    if isinstance(response, list):
        return {key for key in response if isinstance(key, str)}
    return set()


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None  # no variance on one side: discrimination is undefined
    return sxy / math.sqrt(sxx * syy)


def _upper_lower(pairs: list[tuple[float, float, int]]) -> float | None:
    """Mean item score of the top 27 % by rest-of-test score minus that of the bottom 27 %.
    `pairs` are (rest score, item score, attempt id); ties are broken by attempt id so the
    figure does not change between runs."""
    group = int(len(pairs) * UPPER_LOWER_SHARE + 0.5)
    if group < 1 or 2 * group > len(pairs):
        return None
    ranked = sorted(pairs, key=lambda pair: (pair[0], pair[2]))
    lower = ranked[:group]
    upper = ranked[-group:]
    return sum(p[1] for p in upper) / group - sum(p[1] for p in lower) / group


def statistic_compute(
    *,
    rows: list[tuple[int, float, object]],
    totals: dict[int, tuple[float, int]],
    qtype: str,
    options: list[dict],
) -> dict:
    """The figures of one version, without the database. `rows` are (attempt id, item score,
    response) of its graded items; `totals` maps attempt id → (sum of item scores, items).

    The rest-of-test score is the mean score of the attempt's other items (a mean rather than
    a sum, so attempts of exams of different lengths compare); attempts with this item only
    have none and are left out of discrimination."""
    attempts = len(rows)
    scores = [float(score or 0.0) for _attempt, score, _response in rows]
    facility = sum(scores) / attempts if attempts else None
    pairs = []
    for (attempt_id, _score, _response), score in zip(rows, scores, strict=True):
        total, count = totals.get(attempt_id, (score, 1))
        if count > 1:
            pairs.append(((float(total or 0.0) - score) / (count - 1), score, attempt_id))
    discrimination = _pearson([p[1] for p in pairs], [p[0] for p in pairs])
    upper_lower = _upper_lower(pairs)
    unanswered = sum(1 for _a, _s, response in rows if _is_unanswered(response))
    rates = {}
    if qtype in CHOICE_TYPES and attempts:
        keys = [o["key"] for o in options if isinstance(o, dict) and "key" in o]
        counts = dict.fromkeys(keys, 0)
        for _attempt, _score, response in rows:
            for key in _chosen_keys(response):
                if key in counts:
                    counts[key] += 1
        rates = {key: counts[key] / attempts for key in keys}
    judged = attempts >= MIN_ATTEMPTS_FOR_FLAGS
    too_easy = judged and facility is not None and facility > TOO_EASY_ABOVE
    too_hard = judged and facility is not None and facility < TOO_HARD_BELOW
    negative = (
        judged and discrimination is not None and discrimination < NEGATIVE_DISCRIMINATION_BELOW
    )
    return {
        "attempts": attempts,
        "facility": facility,
        "discrimination": discrimination,
        "upper_lower_index": upper_lower,
        "distractor_rates": rates,
        "unanswered_rate": unanswered / attempts if attempts else None,
        "too_easy": too_easy,
        "too_hard": too_hard,
        "negative_discrimination": negative,
        "flagged": too_easy or too_hard or negative,
    }


_FIELDS = [
    "attempts",
    "facility",
    "discrimination",
    "upper_lower_index",
    "distractor_rates",
    "unanswered_rate",
    "too_easy",
    "too_hard",
    "negative_discrimination",
    "flagged",
    "computed_at",
]


def item_statistics_recompute(*, version_ids) -> int:
    """Recompute the statistics of these question versions from all their graded attempts, in
    four queries whatever the number of attempts (versions, items, attempt totals, upsert).
    Idempotent: a re-run writes the same figures. Returns the number of rows written."""
    version_ids = sorted(set(version_ids))
    if not version_ids:
        return 0
    versions = {
        pk: (qtype, options)
        for pk, qtype, options in QuestionVersion.objects.filter(pk__in=version_ids).values_list(
            "pk", "question__qtype", "options"
        )
    }
    graded_items = AttemptItem.objects.filter(
        question_version_id__in=version_ids, attempt__status=Attempt.Status.GRADED
    )
    rows_by_version: dict[int, list] = defaultdict(list)
    for attempt_id, version_id, score, response in graded_items.values_list(
        "attempt_id", "question_version_id", "score", "response"
    ).order_by("attempt_id"):
        rows_by_version[version_id].append((attempt_id, score, response))
    # every attempt's total, summed in SQL over all its items
    totals = {
        attempt_id: (total, count)
        for attempt_id, total, count in AttemptItem.objects.filter(
            attempt_id__in=graded_items.values("attempt_id")
        )
        .values("attempt_id")
        .annotate(total=Sum("score"), count=Count("pk"))
        .values_list("attempt_id", "total", "count")
        .order_by()
    }
    now = timezone.now()
    statistics = []
    for version_id in version_ids:
        if version_id not in versions:
            continue
        qtype, options = versions[version_id]
        figures = statistic_compute(
            rows=rows_by_version.get(version_id, []),
            totals=totals,
            qtype=qtype,
            options=options or [],
        )
        statistics.append(ItemStatistic(question_version_id=version_id, computed_at=now, **figures))
    ItemStatistic.objects.bulk_create(
        statistics,
        update_conflicts=True,
        unique_fields=["question_version"],
        update_fields=_FIELDS,
    )
    return len(statistics)


def item_statistics_mark_attempt(*, attempt_id: int) -> int:
    """Mark the versions an attempt drew as pending, in one query whatever their number and
    whatever the number of earlier attempts: the officer's submit pays only this. Versions
    already pending are left as they are. Returns the number of versions newly marked (0: a
    recompute is already due for all of them)."""
    pending = connection.ops.quote_name(ItemStatisticPending._meta.db_table)
    items = connection.ops.quote_name(AttemptItem._meta.db_table)
    # only the two table names are formatted in (quoted); the values are bound. The WHERE also
    # settles SQLite's parsing of ON CONFLICT after a SELECT.
    sql = (
        f"INSERT INTO {pending} (question_version_id, marked_at) "  # noqa: S608
        f"SELECT DISTINCT question_version_id, %s FROM {items} WHERE attempt_id = %s "
        "ON CONFLICT (question_version_id) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, attempt_id])
        return max(cursor.rowcount, 0)


def item_statistics_after_grading(*, attempt_id: int) -> None:
    """After an attempt's grading has committed: mark its versions; with a broker, the first
    mark of a version queues the recompute (later marks of a burst find it pending and queue
    nothing). Without a broker nothing more happens here: the task would run in the officer's
    request, so trainers' pages and the periodic command recompute instead."""
    newly_marked = item_statistics_mark_attempt(attempt_id=attempt_id)
    if newly_marked and not current_app.conf.task_always_eager:
        task_enqueue(
            "assessments.tasks.item_statistics_recompute_pending_task",
            countdown=RECOMPUTE_COUNTDOWN,
        )


def _pending_claim(*, size: int, version_ids=None) -> list[int]:
    """Take up to `size` pending versions, oldest mark first, and clear their marks in a short
    transaction of its own. Rows another worker is claiming are skipped (PostgreSQL), so two
    workers never recompute the same version. A submission committed before the claim is seen
    by the recompute that follows it; one marking after it marks afresh."""
    with transaction.atomic():
        pending = ItemStatisticPending.objects.select_for_update(skip_locked=True)
        if version_ids is not None:
            pending = pending.filter(question_version_id__in=version_ids)
        claimed = list(
            pending.order_by("marked_at", "pk").values_list("question_version_id", flat=True)[:size]
        )
        if claimed:
            ItemStatisticPending.objects.filter(question_version_id__in=claimed).delete()
    return claimed


def item_statistics_recompute_pending(
    *, limit: int | None = None, batch_size: int = RECOMPUTE_BATCH, version_ids=None
) -> int:
    """Recompute the pending versions (all, at most `limit`, or those of `version_ids` only) in
    batches, clearing their marks. Nothing pending: one query. If a batch fails its marks are
    put back for the next run. Returns the number of versions recomputed."""
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        claimed = _pending_claim(size=size, version_ids=version_ids)
        if not claimed:
            break
        try:
            with transaction.atomic():
                item_statistics_recompute(version_ids=claimed)
        except Exception:
            ItemStatisticPending.objects.bulk_create(
                [ItemStatisticPending(question_version_id=pk) for pk in claimed],
                ignore_conflicts=True,
            )
            raise
        done += len(claimed)
        if len(claimed) < size:
            break
    return done


def item_statistics_pending_count() -> int:
    return ItemStatisticPending.objects.count()


def item_statistics_recompute_for_attempt(*, attempt_id: int) -> int:
    """Recompute the versions an attempt drew, now (whatever is pending elsewhere)."""
    version_ids = list(
        AttemptItem.objects.filter(
            attempt_id=attempt_id, attempt__status=Attempt.Status.GRADED
        ).values_list("question_version_id", flat=True)
    )
    ItemStatisticPending.objects.filter(question_version_id__in=version_ids).delete()
    return item_statistics_recompute(version_ids=version_ids)


def item_statistics_recompute_all(*, batch_size: int = RECOMPUTE_BATCH) -> int:
    """Full recompute: every version drawn in a graded attempt, in batches of versions; rows
    of versions that no longer have a graded attempt are removed. Marks made before the start
    are cleared (their attempts had committed, so the recompute sees them)."""
    ItemStatisticPending.objects.filter(marked_at__lte=timezone.now()).delete()
    drawn = (
        AttemptItem.objects.filter(attempt__status=Attempt.Status.GRADED)
        .values_list("question_version_id", flat=True)
        .distinct()
        .order_by()
    )
    version_ids = sorted(set(drawn))
    written = 0
    for start in range(0, len(version_ids), batch_size):
        with transaction.atomic():
            written += item_statistics_recompute(
                version_ids=version_ids[start : start + batch_size]
            )
    ItemStatistic.objects.exclude(question_version_id__in=drawn).delete()
    return written


# --- reads ---------------------------------------------------------------------------------


def item_statistics_report():
    """Every computed statistic for the trainers' report: flagged first, then by question and
    version, with what the columns show in the same query."""
    return ItemStatistic.objects.select_related(
        "question_version__question__competency__domain"
    ).order_by("-flagged", "question_version__question__name", "question_version__number")


def item_statistics_for_question(*, question) -> dict[int, ItemStatistic]:
    """The statistics of a question's versions, by version id, brought up to date first: its
    pending versions are recomputed (a question has a few versions; nothing pending costs one
    query)."""
    item_statistics_recompute_pending(
        version_ids=question.versions.values_list("pk", flat=True),
        limit=RECOMPUTE_PER_REQUEST,
    )
    return {
        stat.question_version_id: stat
        for stat in ItemStatistic.objects.filter(question_version__question=question)
    }
