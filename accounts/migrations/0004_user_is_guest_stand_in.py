from django.db import migrations, models

# Stand-ins made before this field existed are known by their address.
STAND_IN_DOMAIN = "@guests.spolu.invalid"


def mark_stand_ins(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(email__endswith=STAND_IN_DOMAIN).update(is_guest_stand_in=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_alter_notification_kind")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_guest_stand_in",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="guest of a session"
            ),
        ),
        migrations.RunPython(mark_stand_ins, migrations.RunPython.noop),
    ]
