"""The admin site's inlines are audited too: a role changed or removed on a body's page writes
an entry per membership (core.admin.AuditedAdmin.save_formset)."""

import pytest

from core.models import AuditEntry
from deliberation.models import Membership


@pytest.fixture
def admin(make_user):
    return make_user(
        "admin@example.org", display_name="Ada Admin", is_staff=True, is_superuser=True
    )


def body_page_data(client, body) -> dict:
    """The body's change page posted back as it is shown (main form and its inlines)."""
    context = client.get(f"/admin/deliberation/body/{body.pk}/change/").context
    data = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms += formset.initial_forms
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_it_records_a_membership_changed_and_one_removed_on_the_body_page(
    client, admin, board, member, observer
):
    client.force_login(admin)
    data = body_page_data(client, board)
    rows = {
        data[key]: key.removesuffix("-id")
        for key in data
        if key.startswith("memberships-") and key.endswith("-id")
    }
    of_member = Membership.objects.get(user=member)
    of_observer = Membership.objects.get(user=observer)
    data[f"{rows[of_member.pk]}-role"] = "chair"
    data[f"{rows[of_observer.pk]}-DELETE"] = "on"

    response = client.post(f"/admin/deliberation/body/{board.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"]
    assert not Membership.objects.filter(pk=of_observer.pk).exists()
    changed = AuditEntry.objects.get(action="changed")
    assert (changed.object_id, changed.before, changed.after, changed.via) == (
        str(of_member.pk),
        {"role": "member"},
        {"role": "chair"},
        "admin",
    )
    deleted = AuditEntry.objects.get(action="deleted")
    assert deleted.object_id == str(of_observer.pk)
    assert deleted.before["user"] == observer.pk and deleted.before["role"] == "observer"
    assert AuditEntry.objects.count() == 2
