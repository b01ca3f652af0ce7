from celery import shared_task

from .services import import_job_apply, import_job_check, import_job_fail


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def import_job_apply_task(self, job_id: int) -> None:
    try:
        import_job_apply(job_id=job_id)
    except Exception as exc:  # a restarting database is transient; a re-run is harmless
        if self.request.retries >= self.max_retries:
            import_job_fail(job_id=job_id)
            raise
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def import_job_check_task(self, job_id: int) -> None:
    try:
        import_job_check(job_id=job_id)
    except Exception as exc:  # transient; checking twice gives the same preview
        if self.request.retries >= self.max_retries:
            import_job_fail(job_id=job_id)
            raise
        raise self.retry(exc=exc) from exc
