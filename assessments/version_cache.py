"""Question versions as an exam page shows them, kept by each process.

A version is immutable (QuestionVersion.save refuses updates) and its question's type never
changes once created, so a process may keep what it has read: the question page and the save,
the hottest requests of an exam, then read only the officer's item and attempt, and the option
texts are sanitised once per version instead of on every request.
"""

import threading
from collections import OrderedDict

from .bank_html import bank_html
from .models import QuestionVersion

MAX_VERSIONS = 4096  # a few MB at most: a bank's approved versions, with their texts

_versions: OrderedDict[int, QuestionVersion] = OrderedDict()
_lock = threading.Lock()


def question_version_for_display(version_id: int) -> QuestionVersion:
    """The version with its question (for the type) and `option_html` (option key → sanitised
    HTML). Callers must not change it: it is shared by the requests of this process."""
    with _lock:
        version = _versions.get(version_id)
        if version is not None:
            _versions.move_to_end(version_id)
            return version
    version = QuestionVersion.objects.select_related("question").get(pk=version_id)
    version.option_html = {o["key"]: bank_html(o["text"]) for o in version.options}
    with _lock:
        _versions[version_id] = version
        while len(_versions) > MAX_VERSIONS:
            _versions.popitem(last=False)
    return version


def forget_question_version(version_id: int) -> None:
    with _lock:
        _versions.pop(version_id, None)


def forget_all_question_versions() -> None:
    """For tests, whose rolled-back rows let the database hand out an id again."""
    with _lock:
        _versions.clear()


def question_versions_for_display(version_ids) -> dict[int, QuestionVersion]:
    """question_version_for_display for many versions: those not kept yet in one query."""
    found: dict[int, QuestionVersion] = {}
    with _lock:
        for version_id in version_ids:
            version = _versions.get(version_id)
            if version is not None:
                _versions.move_to_end(version_id)
                found[version_id] = version
    missing = [v for v in version_ids if v not in found]
    if missing:
        for version in QuestionVersion.objects.select_related("question").filter(pk__in=missing):
            version.option_html = {o["key"]: bank_html(o["text"]) for o in version.options}
            found[version.pk] = version
        with _lock:
            for version_id in missing:
                if version_id in found:
                    _versions[version_id] = found[version_id]
            while len(_versions) > MAX_VERSIONS:
                _versions.popitem(last=False)
    return found
