"""The agenda: its items, their order, the ballots and proposals they hold, the current item."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from live import stream
from live.models import AgendaItem, Session
from live.services.guard import lock, require, require_live
from realtime import events
from voting.models import Ballot


def _announce_agenda(session: Session) -> None:
    """The changed agenda, once the session has started: its screens redraw it, and the
    snapshot's shared part (live.stream.shared_part), kept per stream seq, is read afresh.
    Before the start, nothing is kept, and start_session sends the agenda anyway."""
    if session.state != Session.State.SCHEDULED:
        stream.announce(session, events.AgendaItemChanged(data=stream.agenda_data(session)))


def add_agenda_item(
    user,
    session: Session,
    *,
    title: str,
    description: str = "",
    timebox_minutes: int | None = None,
    proposals=(),
    ballot: Ballot | None = None,
) -> AgendaItem:
    require(user, "live.change_session", session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the agenda item a title."))
    with transaction.atomic():
        session = lock(session)
        _check_linked(session, proposals, ballot)
        last = session.items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            session=session,
            position=(last or 0) + 1,
            title=title[:200],
            description=description,
            timebox_minutes=timebox_minutes,
            ballot=ballot,
        )
        item.proposals.set(proposals)
        _announce_agenda(session)
    return item


def update_agenda_item(
    user, item: AgendaItem, *, title: str, description: str, timebox_minutes, proposals, ballot
) -> AgendaItem:
    require(user, "live.change_session", item.session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the agenda item a title."))
    with transaction.atomic():
        session = lock(item.session)
        _check_linked(session, proposals, ballot)
        item.title, item.description = title[:200], description
        item.timebox_minutes, item.ballot = timebox_minutes, ballot
        item.save(update_fields=["title", "description", "timebox_minutes", "ballot"])
        item.proposals.set(proposals)
        _announce_agenda(session)
    return item


def _check_linked(session: Session, proposals, ballot: Ballot | None) -> None:
    if session.process_id:
        if any(p.process_id != session.process_id for p in proposals):
            raise ValidationError(_("Link only proposals of the session's process."))
        if ballot is not None and ballot.process_id != session.process_id:
            raise ValidationError(_("Link only ballots of the session's process."))
    if ballot is not None and session.body_id and ballot.body_id not in (None, session.body_id):
        raise ValidationError(_("That ballot belongs to another body."))


def move_agenda_item(user, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    require(user, "live.change_session", item.session)
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    with transaction.atomic():
        session = lock(item.session)
        items = list(session.items.order_by("position", "pk"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, start=1):
            if it.position != position:
                AgendaItem.objects.filter(pk=it.pk).update(position=position)
        _announce_agenda(session)


def remove_agenda_item(user, item: AgendaItem) -> None:
    require(user, "live.change_session", item.session)
    with transaction.atomic():
        session = lock(item.session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Items can be removed only before the session starts."))
        item.delete()


def goto_item(user, session: Session, item_id: int) -> Session:
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        item = session.items.filter(pk=item_id).first()
        if item is None:
            raise ValidationError(_("That item is not on this session's agenda."))
        session.current_item = item
        session.save(update_fields=["current_item"])
        stream.announce(session, events.AgendaItemChanged(data=stream.agenda_data(session)))
    return session
