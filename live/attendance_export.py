"""The attendance of a session as CSV for the city office's files: the body's roll call, the
other people who joined with an account, and how many guests came."""

import csv
import io

from django.utils.translation import gettext as _

from core.spreadsheet import safe_cell
from live.models import Session
from live.roll_call import roll_call

COLUMNS = ["name", "group", "role", "presence"]


def attendance_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    call = roll_call(session)
    members = set()
    for seat in call.seats if call else []:
        membership = seat.membership
        members.add(membership.user_id)
        writer.writerow(
            safe_cell(v)
            for v in (
                membership.user.public_name,
                membership.get_group_display(),
                membership.get_role_display(),
                seat.status_label,
            )
        )
    attendances = session.attendances.select_related("user").order_by("joined_at", "pk")
    guests = 0
    for attendance in attendances:
        if attendance.user_id is None:
            guests += 1
        elif attendance.user_id not in members:
            row = (attendance.user.public_name, "", _("Participant"), attendance.get_mode_display())
            writer.writerow(safe_cell(v) for v in row)
    # Guests are counted, not named: a nickname typed on a phone is no record of a person.
    writer.writerow(safe_cell(v) for v in (_("Guests"), "", "", guests))
    return out.getvalue()
