"""Organisation, positions and personnel records: the roots every other app hangs off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


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

    node_order_by = ["code"]

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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_assignments"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="hr_assignments")

    class Meta:
        verbose_name = _("HR management scope")
        verbose_name_plural = _("HR management scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit"], name="hrassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.org_unit}"
