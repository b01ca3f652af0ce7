"""Can each competency a position requires, or a course teaches, be obtained? An officer earns
a competency from an exam that covers it, or from HR's direct assessment; a requirement that
neither reaches is a dead end, and publishing a framework or a course says so."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from .models import Competency, Framework

# Apps that award competencies (exams, for instance) answer this hook: given competency ids,
# {competency id: the highest level rank they can currently award for it}. Competencies does
# not know those apps; they register here.
COMPETENCY_ROUTES_HOOK = "lms_competency_routes"


@dataclass(frozen=True)
class MissingRoute:
    """A competency needed at `needed_rank` that nothing can award at that level: no exam
    covers it (`best_rank` None) or none reaches the level, and HR does not assess it."""

    competency: Competency
    needed_rank: int
    best_rank: int | None


def competencies_without_route(*, needed: dict[int, int]) -> list[MissingRoute]:
    """The competencies of `needed` (competency id → minimum level rank) that an officer has
    no way to obtain at that level, by code. A constant number of queries per registered
    route."""
    if not needed:
        return []
    pending = dict(
        Competency.objects.filter(pk__in=needed, assessed_by_hr=False).values_list("pk", "code")
    )
    if not pending:
        return []
    best: dict[int, int] = {}
    for routes in hooks.get_hooks(COMPETENCY_ROUTES_HOOK):
        for competency_id, rank in routes(competency_ids=list(pending)).items():
            best[competency_id] = max(rank, best.get(competency_id, 0))
    short = [pk for pk in pending if best.get(pk, 0) < needed[pk]]
    competencies = Competency.objects.in_bulk(short)
    return sorted(
        (
            MissingRoute(competencies[pk], needed_rank=needed[pk], best_rank=best.get(pk))
            for pk in short
        ),
        key=lambda missing: missing.competency.code,
    )


def framework_needed_ranks(*, framework: Framework) -> dict[int, int]:
    """Each competency the framework requires, with the highest minimum rank any position
    needs (competency id → rank)."""
    needed: dict[int, int] = {}
    for competency_id, rank in framework.requirements.values_list(
        "competency_id", "min_level__rank"
    ):
        needed[competency_id] = max(rank, needed.get(competency_id, 0))
    return needed


def missing_routes_message(missing: list[MissingRoute]) -> str:
    """One warning, in the reader's language, naming each competency and what it lacks."""
    parts = []
    for item in missing:
        if item.best_rank is None:
            parts.append(_("%(code)s (no exam covers it)") % {"code": item.competency.code})
        else:
            parts.append(
                _("%(code)s (exams reach level %(best)s, level %(needed)s is needed)")
                % {"code": item.competency.code, "best": item.best_rank, "needed": item.needed_rank}
            )
    return ngettext(
        "Officers have no way to obtain this competency: %(list)s. Add it to a published "
        "certification exam's blueprint, or mark it as assessed by HR.",
        "Officers have no way to obtain these competencies: %(list)s. Add them to a published "
        "certification exam's blueprint, or mark them as assessed by HR.",
        len(missing),
    ) % {"list": "; ".join(parts)}
