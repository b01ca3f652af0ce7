from celery import shared_task

from .item_statistics import item_statistics_recompute_pending
from .services import attempts_close_overdue


@shared_task
def attempts_close_overdue_task() -> int:
    """Periodic (Celery beat): grade attempts left open past their deadline."""
    return attempts_close_overdue()


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def item_statistics_recompute_pending_task(self) -> int:
    """Recompute the statistics of every question version marked since the last run (queued by
    the first mark after a grading, and periodic on beat). Nothing pending: one query."""
    try:
        return item_statistics_recompute_pending()
    except Exception as exc:  # retried: a locked or restarting database is transient
        raise self.retry(exc=exc) from exc


@shared_task
def item_statistics_recompute_for_attempt_task(attempt_id: int) -> int:
    """Kept for messages queued before the pending marks: the attempt's versions are marked
    already, so this recomputes what is pending."""
    return item_statistics_recompute_pending()
