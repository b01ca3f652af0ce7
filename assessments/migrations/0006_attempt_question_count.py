from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_existing_attempts(apps, schema_editor):
    Attempt = apps.get_model("assessments", "Attempt")
    AttemptItem = apps.get_model("assessments", "AttemptItem")
    items = (
        AttemptItem.objects.filter(attempt_id=OuterRef("pk"))
        .order_by()
        .values("attempt_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Attempt.objects.update(question_count=Coalesce(Subquery(items), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_item_statistic_pending"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="question_count",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(count_existing_attempts, migrations.RunPython.noop),
    ]
