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
        MINISTRY = "ministry", _("Bộ")
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        DEPARTMENT = "department", _("Sở, ban, ngành")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
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
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên vị trí"), max_length=255)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = _("vị trí việc làm")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffRecord(models.Model):
    personnel_number = models.CharField(_("số hiệu cán bộ"), max_length=32, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="staff"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("vị trí"), on_delete=models.PROTECT, related_name="staff"
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )
    active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")
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
        verbose_name = _("phạm vi quản lý nhân sự")
        verbose_name_plural = _("phạm vi quản lý nhân sự")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit"], name="hrassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.org_unit}"
