from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def certificate_render_pdf_task(self, certificate_id: int) -> None:
    from .services import certificate_render_pdf

    try:
        certificate_render_pdf(certificate_id=certificate_id)
    except Exception as exc:  # retried: a full disk or a restarting database is transient
        raise self.retry(exc=exc) from exc


@shared_task
def certificates_render_pending_task() -> int:
    """Periodic (Celery beat): render PDFs that a failed or lost task left missing."""
    from .services import certificates_render_pending

    return certificates_render_pending()
