from celery import shared_task

from .services import (
    certificate_export_build,
    certificate_render_pdf,
    certificates_issue_for_positions,
    certificates_render_pending,
    certificates_send_expiry_reminders,
    issuance_job_chunk,
    issuance_job_fail,
    issuance_job_run,
)


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def certificate_render_pdf_task(self, certificate_id: int) -> None:
    try:
        certificate_render_pdf(certificate_id=certificate_id)
    except Exception as exc:  # retried: a full disk or a restarting database is transient
        raise self.retry(exc=exc) from exc


@shared_task
def certificates_render_pending_task() -> int:
    """Periodic (Celery beat): render and sign PDFs that a failed or lost task left missing."""
    return certificates_render_pending()


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def issuance_job_run_task(self, job_id: int) -> int:
    try:
        return issuance_job_run(job_id=job_id)
    except Exception as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def issuance_job_chunk_task(self, job_id: int, start: int) -> None:
    try:
        issuance_job_chunk(job_id=job_id, start=start)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            issuance_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
            raise
        raise self.retry(exc=exc) from exc


@shared_task
def certificate_export_build_task(export_id: int) -> None:
    """Not retried: a failed export is marked failed and the user asks again."""
    certificate_export_build(export_id=export_id)


@shared_task
def certificates_send_expiry_reminders_task() -> int:
    """Periodic (Celery beat, daily): the same as `manage.py send_expiry_reminders`."""
    return certificates_send_expiry_reminders()


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def certificates_issue_for_positions_task(self, staff_ids: list[int]) -> int:
    """Position certificates for these staff, if they now meet every requirement."""
    try:
        return len(certificates_issue_for_positions(staff_ids=staff_ids))
    except Exception as exc:
        raise self.retry(exc=exc) from exc
