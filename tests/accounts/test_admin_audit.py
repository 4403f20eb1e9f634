"""Changes on the administration site write audit entries with the values before and after
(core.admin.AuditedAdmin), which Django's own admin log does not keep."""

import pytest
from django.utils.timezone import localtime

from accounts.models import User
from core.models import AuditEntry


@pytest.fixture
def admin(make_user):
    return make_user(
        "admin@example.org", display_name="Ada Admin", is_staff=True, is_superuser=True
    )


def change_form(user: User, **changes) -> dict:
    """The change page's fields as they are (the page shows whole seconds, so the account's
    join time is rounded first, as any earlier save on that page would have done)."""
    joined = user.date_joined.replace(microsecond=0)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    joined = localtime(joined)
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "sector": user.sector,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
    }
    return {**data, **changes}


def test_it_records_an_admin_site_change_of_a_residents_account(client, admin, resident):
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{resident.pk}/change/",
        change_form(resident, display_name="Someone Else"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.owner, entry.via, entry.action) == (
        admin,
        resident,
        "admin",
        "changed",
    )
    assert entry.before == {"display_name": "Rita Resident"}, (entry.before, entry.after)
    assert entry.after == {"display_name": "Someone Else"}


def test_it_records_an_admin_site_deletion_with_what_was_deleted(client, admin, resident):
    client.force_login(admin)
    pk = resident.pk
    response = client.post(f"/admin/accounts/user/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.after) == ("deleted", str(pk), {})
    assert entry.before["email"] == "resident@example.org"
    assert entry.before["password"].startswith("••••")  # never the hash itself


def test_an_admin_site_save_that_changes_nothing_writes_no_entry(client, admin, resident):
    client.force_login(admin)
    client.post(f"/admin/accounts/user/{resident.pk}/change/", change_form(resident))
    assert not AuditEntry.objects.exists()


def test_it_records_an_admin_setting_a_residents_password_without_the_hash(client, admin, resident):
    client.force_login(admin)
    old_hash = resident.password
    response = client.post(
        f"/admin/accounts/user/{resident.pk}/password/",
        {"password1": "A-new-long-passphrase-42", "password2": "A-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.owner, entry.via) == (admin, resident, "admin")
    assert entry.before["password"] != entry.after["password"]
    assert old_hash not in str(entry.before) + str(entry.after)
