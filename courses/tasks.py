from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def enrolments_sync_automatic_task(self, staff_ids: list[int] | None = None) -> int:
    """Enrol the given staff (every active one when None) in the courses closing their gaps."""
    from .services import enrolments_sync_automatic

    try:
        return enrolments_sync_automatic(staff_ids=staff_ids)
    except Exception as exc:  # retried: a locked or restarting database is transient
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def pages_publish_scheduled_task(self) -> None:
    """Wagtail's scheduled publishing: publish the approved revisions whose go-live time has
    come and unpublish the pages whose expiry time has passed (idempotent)."""
    from django.core.management import call_command

    try:
        call_command("publish_scheduled")
    except Exception as exc:  # retried: a locked or restarting database is transient
        raise self.retry(exc=exc) from exc
