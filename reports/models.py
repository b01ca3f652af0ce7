"""Where each staff member stands on each requirement of the framework in force, stored so that
a report over a nation of staff is a few grouped queries on indexed columns.

A row keeps what does not depend on the day (the date the sufficient evidence lasts until); the
report decides met / expiring / expired against the day it is read, so nothing goes stale when
midnight passes and no sweep is needed to age the rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Standing(models.Model):
    # No index of a foreign key alone: the composite indexes below start with staff and domain,
    # and nothing looks standings up by unit, position or competency alone (only the rare
    # deletion of one, which their staff and requirements protect first). A framework
    # publication rewrites every row of the nation: each index is written a million times.
    staff = models.ForeignKey(
        "staff.StaffRecord",
        verbose_name=_("staff record"),
        on_delete=models.CASCADE,
        db_index=False,
    )
    requirement = models.ForeignKey(
        "competencies.Requirement", verbose_name=_("requirement"), on_delete=models.CASCADE
    )
    # copied from the staff record, the requirement and the competency: the reports group and
    # filter on them without a join (kept current by the refresh that writes the row). The four
    # copied keys have no constraint in the database: each is the key of a row the staff record
    # or the requirement already holds under one, and checking 4 more keys for each of the
    # 20,000 rows of a refresh was more than half of its commit (the ORM still cascades)
    unit_path = models.CharField(_("org unit path"), max_length=255)
    org_unit = models.ForeignKey(
        "staff.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    position = models.ForeignKey(
        "staff.Position",
        verbose_name=_("position"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    competency = models.ForeignKey(
        "competencies.Competency",
        verbose_name=_("competency"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    domain = models.ForeignKey(
        "competencies.Domain",
        verbose_name=_("domain"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    min_rank = models.PositiveSmallIntegerField(_("minimum level"))
    # the evidence that decides the standing: the longest-lasting record at or above the
    # minimum (its level, and until when it is valid), else the highest record below it (its
    # level, and None: a gap)
    level_rank = models.PositiveSmallIntegerField(_("level reached"), null=True)
    sufficient_until = models.DateField(_("valid until"), null=True)

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [
            models.UniqueConstraint(fields=["staff", "requirement"], name="standing_unique")
        ]
        indexes = [
            # a subtree's rows in the order the reports group them (per staff member, then per
            # domain); on PostgreSQL the included columns let them read the index alone, no
            # sort, no table (for the nation only while the index is compact: a publication
            # that rewrote every row leaves it mostly free space until a REINDEX)
            models.Index(
                fields=["unit_path", "staff", "domain"],
                include=["position", "competency", "sufficient_until"],
                name="standing_unit_staff_domain",
            ),
            models.Index(fields=["domain", "unit_path"], name="standing_domain_unit"),
            models.Index(fields=["sufficient_until"], name="standing_until"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} · {self.requirement_id}"


class ComplianceSnapshot(models.Model):
    """A month's compliance, kept so reports can show a trend and be read "as of" that month.

    Counted per unit where staff sit (and position, and domain: NULL for all requirements
    together), so that any subtree's figure is a sum: a staff member sits in one unit. The unit's
    path is the one it had that day, so a report of the past follows the tree of the past."""

    month = models.DateField(_("month"))  # the first day of the month
    taken_on = models.DateField(_("taken on"))
    org_unit = models.ForeignKey(
        "staff.OrgUnit", verbose_name=_("org unit"), on_delete=models.CASCADE, related_name="+"
    )
    unit_path = models.CharField(_("org unit path"), max_length=255)
    position = models.ForeignKey(
        "staff.Position", verbose_name=_("position"), on_delete=models.CASCADE, related_name="+"
    )
    domain = models.ForeignKey(
        "competencies.Domain",
        verbose_name=_("domain"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
    )
    # the framework in force when the month was taken (a report may be read per version)
    framework = models.ForeignKey(
        "competencies.Framework",
        verbose_name=_("competency framework"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
    )
    staff = models.PositiveIntegerField(_("staff counted"))
    all_met = models.PositiveIntegerField(_("meet every requirement"))
    none_met = models.PositiveIntegerField(_("meet none"))

    class Meta:
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        indexes = [models.Index(fields=["month", "unit_path"], name="snapshot_month_unit")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.org_unit_id}"


class DigestOptOut(models.Model):
    """An HR officer who asked not to receive the monthly digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="report_digest_opt_out",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly digest opt-out")
        verbose_name_plural = _("monthly digest opt-outs")

    def __str__(self) -> str:
        return str(self.user)


class DigestSent(models.Model):
    """A month's digest recorded before it is sent: a second run sends nothing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly digest sent")
        verbose_name_plural = _("monthly digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="digest_sent_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.month:%m/%Y}"
