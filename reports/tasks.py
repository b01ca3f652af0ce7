from celery import shared_task

from .standings import standings_rebuild, standings_refresh


@shared_task
def standings_refresh_task(staff_ids: list[int]) -> int:
    return standings_refresh(staff_ids=staff_ids)


@shared_task
def standings_rebuild_task() -> int:
    """Nightly (Celery beat): every standing rewritten, a check that nothing drifted."""
    return standings_rebuild()
