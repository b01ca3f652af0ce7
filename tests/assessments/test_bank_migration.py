"""The question-bank migration keeps the data: the free-text legal basis becomes the legal
document, and questions approved before keep being drawn, in their current version."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0001_initial")]
AFTER = [("assessments", "0002_question_bank")]


@pytest.mark.django_db(transaction=True)
def test_legal_basis_and_approval_survive_the_migration():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app, should any depend on assessments
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        domain = old.get_model("competencies", "Domain").objects.create(code="MET", name="Đo lường")
        competency = old.get_model("competencies", "Competency").objects.create(
            code="MET-01", title="Cân", domain=domain
        )
        Question = old.get_model("assessments", "Question")
        Version = old.get_model("assessments", "QuestionVersion")
        approved = Question.objects.create(
            name="A",
            qtype="single",
            competency=competency,
            difficulty="easy",
            status="approved",
            legal_basis="Luật Đo lường 2011",
        )
        draft = Question.objects.create(
            name="B", qtype="single", competency=competency, difficulty="easy", status="draft"
        )
        for question in (approved, draft):
            version = Version.objects.create(
                question=question, number=1, stem="<p>?</p>", options=[]
            )
            question.current_version = version
            question.save()
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("assessments", "Question")
        approved, draft = new.objects.get(name="A"), new.objects.get(name="B")
        assert approved.legal_document == "Luật Đo lường 2011"
        assert approved.approved_version_id == approved.current_version_id
        assert draft.approved_version_id is None
    finally:
        MigrationExecutor(connection).migrate(latest)
