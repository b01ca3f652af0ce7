"""Reactions to this app's own events. Dispatch only: the rules live in services."""

from django.db import transaction


def on_attempt_graded_item_statistics(sender, *, attempt, **kwargs):
    """Once the grading has committed, the versions the attempt drew are marked for a
    recompute: one query, whatever the number of earlier attempts, so the officer's submit
    never waits for the statistics (robust: a failure here never fails the submit)."""
    from .item_statistics import item_statistics_after_grading

    attempt_id = attempt.pk
    transaction.on_commit(lambda: item_statistics_after_grading(attempt_id=attempt_id), robust=True)


def on_question_version_deleted(sender, *, instance, **kwargs):
    """A deleted version leaves this process's cache (versions are never updated, only
    deleted with their question when no attempt drew them)."""
    from .version_cache import forget_question_version

    forget_question_version(instance.pk)
