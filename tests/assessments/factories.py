import factory

from assessments.models import BlueprintCell, Exam, Question
from assessments.services import question_version_create
from tests.competencies.factories import CompetencyFactory, ProficiencyLevelFactory

SINGLE_OPTIONS = [
    {"key": "a", "text": "Đáp án đúng", "correct": True},
    {"key": "b", "text": "Phương án sai 1", "correct": False},
    {"key": "c", "text": "Phương án sai 2", "correct": False},
]


class QuestionFactory(factory.django.DjangoModelFactory):
    """An approved single-choice question with one version whose right answer is "a"."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Câu hỏi {n}")
    qtype = Question.Type.SINGLE_CHOICE
    competency = factory.SubFactory(CompetencyFactory)
    difficulty = "easy"
    status = Question.Status.APPROVED

    @factory.post_generation
    def version(self, create, extracted, **kwargs):
        if create:
            question_version_create(
                question=self,
                stem=kwargs.get("stem", f"<p>{self.name}?</p>"),
                options=kwargs.get("options", SINGLE_OPTIONS),
            )


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exam

    title = factory.Sequence(lambda n: f"Bài thi {n}")
    kind = Exam.Kind.CERTIFICATION
    time_limit_minutes = 20
    pass_mark_percent = 60
    max_attempts = 3
    awarded_level = factory.SubFactory(ProficiencyLevelFactory)
    published = True
    requires_course_completion = False


class BlueprintCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlueprintCell

    exam = factory.SubFactory(ExamFactory)
    competency = factory.SubFactory(CompetencyFactory)
    difficulty = "easy"
    count = 5
