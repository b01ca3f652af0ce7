from celery import shared_task

from .digest import report_digests_send
from .snapshots import snapshot_take
from .standings import standings_rebuild, standings_refresh


@shared_task
def standings_refresh_task(staff_ids: list[int]) -> int:
    return standings_refresh(staff_ids=staff_ids)


@shared_task
def standings_rebuild_task() -> int:
    """Nightly (Celery beat): every standing rewritten, a check that nothing drifted."""
    return standings_rebuild()


@shared_task
def snapshot_take_task() -> int:
    """Monthly (Celery beat, the first of the month): the compliance snapshot."""
    return snapshot_take()


@shared_task
def report_digests_send_task() -> int:
    """Monthly (Celery beat, after the snapshot): the digest to each HR officer."""
    return report_digests_send()
