"""Every label a model gives the admin (its names, its fields' names, its choices) is
Vietnamese: Django's default label is the English field name ("created at", "number"), which
Wagtail prints as column headers, inspect labels, form labels and history entries."""

import polib
import pytest
from django.apps import apps
from django.utils import translation
from treebeard.mp_tree import MP_Node
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, Task

from tests.lms.test_translations import PO_PATH

CHECKED_APPS = ("staff", "competencies", "courses", "assessments", "certificates", "cms")
# fields a library defines and translates (Wagtail's page and task fields, treebeard's tree,
# taggit's tag)
LIBRARY_BASES = (Page, Task, AbstractGroupApprovalTask, MP_Node, Orderable)


def _catalogue() -> set[str]:
    """Every translated msgid, whatever its context."""
    return {e.msgid for e in polib.pofile(str(PO_PATH)) if e.msgstr}


def _source(label) -> str:
    with translation.override("en"):
        return str(label)


def _library_field(model, field) -> bool:
    for base in LIBRARY_BASES:
        if issubclass(model, base) and field.name in {f.name for f in base._meta.get_fields()}:
            return True
    return field.name == "tag" and model.__module__.startswith("assessments")


def _labels():
    for app in CHECKED_APPS:
        for model in apps.get_app_config(app).get_models():
            yield f"{model.__name__} (name)", model._meta.verbose_name
            yield f"{model.__name__} (plural)", model._meta.verbose_name_plural
            for field in model._meta.get_fields():
                if not field.concrete or field.auto_created or _library_field(model, field):
                    continue
                yield f"{model.__name__}.{field.name}", field.verbose_name
                for value, label in field.flatchoices or []:
                    if value not in ("", None):
                        yield f"{model.__name__}.{field.name}={value}", label


@pytest.mark.parametrize("app", CHECKED_APPS)
def test_every_model_label_is_in_the_catalogue(app):
    catalogue = _catalogue()
    missing = []
    for where, label in _labels():
        if not where.startswith(tuple(m.__name__ for m in apps.get_app_config(app).get_models())):
            continue
        # Django's default ("created at") and Wagtail's page plural ("khóa họcs", the name
        # plus "s") are not in the catalogue
        source = _source(label)
        if source not in catalogue:
            missing.append(f"{where}: {source!r}")
    assert not missing, "\n".join(missing)
