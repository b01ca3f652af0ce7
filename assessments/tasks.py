from celery import shared_task


@shared_task
def attempts_close_overdue_task() -> int:
    """Periodic (Celery beat): grade attempts left open past their deadline."""
    from .services import attempts_close_overdue

    return attempts_close_overdue()
