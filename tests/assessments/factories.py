import factory

from assessments.models import BlueprintCell, Exam, Question
from assessments.services import question_version_create
from tests.competencies.factories import CompetencyFactory, ProficiencyLevelFactory

SINGLE_OPTIONS = [
    {"key": "a", "text": "Đáp án đúng", "correct": True},
    {"key": "b", "text": "Phương án sai 1", "correct": False},
    {"key": "c", "text": "Phương án sai 2", "correct": False},
]


NUMERIC_DATA = {
    "answers": [
        {"value": 2.5, "tolerance": 0.05, "fraction": 1.0, "feedback": "Phản hồi số đúng"},
        {"value": 25, "tolerance": 0, "fraction": 0.5, "feedback": "Sai đơn vị một bậc"},
    ],
    "units": [{"unit": "kg", "multiplier": 1.0}, {"unit": "g", "multiplier": 1000.0}],
    "unit_required": False,
}
SHORTTEXT_DATA = {
    "answers": [
        {"text": "Cân đồng hồ lò xo", "fraction": 1.0, "feedback": "Phản hồi chữ đúng"},
        {"text": "cân*", "fraction": 0.5, "feedback": ""},
    ],
    "case_sensitive": False,
    "ignore_diacritics": True,
}
MATCHING_DATA = {
    "pairs": [
        {"key": "p1", "prompt": "Cân phân tích", "answer": "Cấp chính xác I"},
        {"key": "p2", "prompt": "Cân kỹ thuật", "answer": "Cấp chính xác II"},
        {"key": "p3", "prompt": "Cân thông dụng", "answer": "Cấp chính xác III"},
    ],
    "distractors": ["Cấp chính xác IV"],
}
TYPE_PAYLOADS = {
    "single": {"options": SINGLE_OPTIONS},
    "multiple": {
        "options": [
            {"key": "a", "text": "Đúng một", "correct": True},
            {"key": "b", "text": "Đúng hai", "correct": True},
            {"key": "c", "text": "Sai", "correct": False},
        ]
    },
    "truefalse": {
        "options": [
            {"key": "true", "text": "Đúng", "correct": True},
            {"key": "false", "text": "Sai", "correct": False},
        ]
    },
    "numeric": {"data": NUMERIC_DATA},
    "shorttext": {"data": SHORTTEXT_DATA},
    "matching": {"data": MATCHING_DATA},
}


class QuestionFactory(factory.django.DjangoModelFactory):
    """An approved single-choice question with one version whose right answer is "a"; other
    types with `qtype=...` get the payload of TYPE_PAYLOADS."""

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
            payload = TYPE_PAYLOADS[self.qtype]
            question_version_create(
                question=self,
                stem=kwargs.get("stem", f"<p>{self.name}?</p>"),
                options=kwargs.get("options", payload.get("options")),
                data=kwargs.get("data", payload.get("data")),
                explanation=kwargs.get("explanation", ""),
                author=kwargs.get("author"),
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
