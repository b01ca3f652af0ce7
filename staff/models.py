"""Organisation, positions and personnel records: the roots every other app hangs off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from lms.display import date_text
from lms.storage import private_storage_callable
from lms.translated import InReadersLanguage


class OrgUnit(MP_Node):
    """A node of the administrative tree: ministry → province/city → commune/ward/special zone.

    A materialised path (treebeard) makes "everything under this unit" one indexed prefix query,
    which is what every HR scope check needs."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        PROVINCE = "province", _("Province")
        CITY = "city", _("Centrally governed city")
        COMMUNE = "commune", _("Commune")
        WARD = "ward", _("Ward")
        SPECIAL_ZONE = "special_zone", _("Special zone")
        DEPARTMENT = "department", _("Department or agency")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    # a merged unit is closed (valid_to) and points at the unit that took it over
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    # No node_order_by: a new unit is appended under its parent, so no sibling's path ever
    # shifts (paths are stored by the reports' standings and monthly snapshots). Lists order
    # by code or name themselves.

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial level")
        COMMUNE = "commune", _("Commune level")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("position name"), max_length=255)
    name_en = models.CharField(
        _("position name in English"), max_length=255, blank=True, default="", db_default=""
    )
    shown_name = InReadersLanguage("name")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffRecord(models.Model):
    personnel_number = models.CharField(_("personnel number"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="staff"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="staff"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personnel_number})"


class HRAssignment(models.Model):
    """Attaches an HR officer to the org unit whose subtree they may see and manage."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("HR officer"),
        on_delete=models.CASCADE,
        related_name="hr_assignments",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("managed org unit"),
        on_delete=models.CASCADE,
        related_name="hr_assignments",
    )

    class Meta:
        verbose_name = _("HR management scope")
        verbose_name_plural = _("HR management scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit"], name="hrassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.org_unit}"


class StaffHistory(models.Model):
    """One period during which a staff member held a position in a unit. The open period
    (ended_on is null) is the current one; a change of unit or position closes it."""

    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("staff record"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position history")
        verbose_name_plural = _("position history")
        ordering = ["staff", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(ended_on__isnull=True),
                name="staffhistory_one_open_period",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="staffhistory_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "started_on"])]

    def __str__(self) -> str:
        period = f"{date_text(self.started_on)}–{date_text(self.ended_on) if self.ended_on else ''}"
        return f"{self.staff} · {self.org_unit} · {period}"


class ImportJob(models.Model):
    """An uploaded staff or org-unit file: previewed first, applied all-or-nothing on confirm,
    in the background for large files, with progress."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff records")
        ORG_UNITS = "org_units", _("Org units")

    class Status(models.TextChoices):
        # a large file is checked in the background before its preview can be shown
        CHECKING = "checking", pgettext_lazy("import status", "Checking")
        PREVIEWED = "previewed", pgettext_lazy("import status", "Previewed")
        QUEUED = "queued", pgettext_lazy("import status", "Queued")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        # "Done" alone is already a learner's "lesson done"
        DONE = "done", pgettext_lazy("import status", "Done")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage_callable, upload_to="imports/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    # {"create": n, "update": n, "unchanged": n}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # [{"row": 3, "column": "position", "message": "..."}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"
