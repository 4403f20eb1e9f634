from django.db import migrations


class Migration(migrations.Migration):
    """Live sessions now belong to the live app (live 0001): deliberation forgets their models.
    State only: the tables are live's now, and live 0002 renames them."""

    dependencies = [
        ("deliberation", "0004_question_answer"),
        ("live", "0001_initial"),
        ("actionplan", "0005_live_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="actionitem",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="actionitem",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="ballot",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="proposals",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="current_item",
                ),
                migrations.RemoveField(
                    model_name="question",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="attendance",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="attendance",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="attendance",
                    name="voter",
                ),
                migrations.RemoveField(
                    model_name="questionupvote",
                    name="attendance",
                ),
                migrations.RemoveField(
                    model_name="question",
                    name="attendance",
                ),
                migrations.RemoveField(
                    model_name="hand",
                    name="attendance",
                ),
                migrations.RemoveField(
                    model_name="hand",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="minutesamendment",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="minutesamendment",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="question",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="questionupvote",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="body",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="facilitator",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="note_taker",
                ),
                migrations.RemoveField(
                    model_name="session",
                    name="process",
                ),
                migrations.DeleteModel(
                    name="ActionItem",
                ),
                migrations.DeleteModel(
                    name="AgendaItem",
                ),
                migrations.DeleteModel(
                    name="Attendance",
                ),
                migrations.DeleteModel(
                    name="Hand",
                ),
                migrations.DeleteModel(
                    name="MinutesAmendment",
                ),
                migrations.DeleteModel(
                    name="Question",
                ),
                migrations.DeleteModel(
                    name="QuestionUpvote",
                ),
                migrations.DeleteModel(
                    name="Session",
                ),
            ],
            database_operations=[],
        ),
    ]
