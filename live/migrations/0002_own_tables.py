from django.db import migrations

MODELS = (
    "session",
    "agendaitem",
    "attendance",
    "question",
    "questionupvote",
    "hand",
    "actionitem",
    "minutesamendment",
)


def content_types_follow(apps, schema_editor, source: str, target: str) -> None:
    """Permissions and admin history point at content types: move them with the models
    instead of leaving orphans and making new ones."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label=source, model__in=MODELS).update(
        app_label=target
    )


def forwards(apps, schema_editor):
    content_types_follow(apps, schema_editor, "deliberation", "live")


def backwards(apps, schema_editor):
    content_types_follow(apps, schema_editor, "live", "deliberation")


class Migration(migrations.Migration):
    """The live app's tables take its name (deliberation_session → live_session, and the
    agenda's link table with them); rows, ids and foreign keys from other tables stay."""

    dependencies = [
        ("live", "0001_initial"),
        ("deliberation", "0005_live_sessions_moved_to_live"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=None) for model in MODELS),
        migrations.RunPython(forwards, backwards),
    ]
