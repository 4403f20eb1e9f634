"""The audit trail: who changed whose content, when, and what it was before and after.

Services call `record(...)` inside their transaction when someone changes content that is not
theirs (staff editing a resident's proposal, a facilitator hiding a guest's question); the
admin site records every change through `core.admin.AuditedAdmin`. The moderators' page
(proposals) reads the entries. Someone changing their own content writes no entry: their
words are theirs to change, and the content shows it was edited.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from core.models import AuditEntry

Action = AuditEntry.Action
Via = AuditEntry.Via

# Never copied into the trail: only whether they changed.
SECRET_FIELDS = frozenset({"password"})
SECRET_PLACEHOLDER = "••••"  # noqa: S105 (a mask, not a password)


def _json(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)  # one instant, one text, whichever zone it was read in
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj, fields=None) -> dict:
    """The object's stored fields (or only `fields`) as JSON values, foreign keys as ids."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        value = field.value_from_object(obj)
        if field.name in SECRET_FIELDS:
            # A short digest of the stored hash: enough to show that it changed, nothing more.
            digest = hashlib.sha256(str(value).encode()).hexdigest()[:4]
            value = f"{SECRET_PLACEHOLDER}{digest}" if value else ""
        values[field.name] = _json(value)
    return values


def record(
    actor,
    obj,
    action: str,
    *,
    before: dict,
    after: dict,
    owner=None,
    via: str = Via.SITE,
    object_id=None,
) -> AuditEntry | None:
    """Write one entry with the fields that differ (None when a change changed nothing).

    Call inside the transaction that makes the change, so the entry and the change commit or
    roll back together. `object_id` is for a deletion, after which `obj.pk` is gone."""
    names = sorted(set(before) | set(after))
    changed = [name for name in names if before.get(name) != after.get(name)]
    if action == Action.CHANGED and not changed:
        return None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=(getattr(actor, "email", "") or str(actor))[:254],
        owner=owner,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(object_id if object_id is not None else obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        via=via,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed if name in after},
    )
