"""Enqueue a Celery task by its registered name once the current transaction commits.

Services enqueue through this instead of importing their app's `tasks` module: a task imports
the service it runs, so an import the other way would close a circle
(tests/lms/test_import_graph.py). Without a broker the task runs inline, as `.delay` does."""

from celery import current_app
from django.db import transaction


def _task(name: str):
    tasks = current_app.tasks
    if name not in tasks:
        # outside a worker, task modules load on Celery's autodiscovery signal: send it once
        current_app.loader.import_default_modules()
    return tasks[name]


def task_enqueue(name: str, *args, countdown: int | None = None) -> None:
    """Send the task now (inside a task, or when nothing is to be committed first)."""
    task = _task(name)
    if countdown is None:
        task.delay(*args)
    else:
        task.apply_async(args, countdown=countdown)


def task_enqueue_on_commit(name: str, *args) -> None:
    """Send the task after the surrounding transaction commits (never for rolled-back work)."""
    task = _task(name)
    transaction.on_commit(lambda: task.delay(*args))
