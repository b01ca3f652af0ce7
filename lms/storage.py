"""The "private" storage of settings.STORAGES: personal documents (certificates, evidence
files, uploaded imports) that are never under MEDIA_URL and are served only by checked views."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    # resolved lazily, like default_storage, so a change of settings (tests) is honoured
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def private_storage_callable():
    """For FileField(storage=...): migrations reference this function, not a backend."""
    return private_storage
