import factory

from competencies.models import Competency, Domain, Framework, ProficiencyLevel, Requirement
from tests.staff.factories import PositionFactory


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"MET-{n:02d}")
    title = factory.Sequence(lambda n: f"Năng lực {n}")
    domain = factory.SubFactory(DomainFactory)


class ProficiencyLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProficiencyLevel
        django_get_or_create = ["rank"]

    rank = 2
    name = factory.LazyAttribute(lambda o: f"Mức {o.rank}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    name = "Khung thử nghiệm"
    version = factory.Sequence(lambda n: n + 1)
    status = Framework.Status.PUBLISHED


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    framework = factory.SubFactory(FrameworkFactory)
    position = factory.SubFactory(PositionFactory)
    competency = factory.SubFactory(CompetencyFactory)
    min_level = factory.SubFactory(ProficiencyLevelFactory)
    validity_months = 24
