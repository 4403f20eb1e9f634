"""Who may open, take part in, moderate and close a conversation (django-rules predicates).

Opening one is for staff and whoever chairs or facilitates a body, as preparing a session is;
moderating and closing it for staff, the person who opened it, and the facilitators of the
session whose agenda holds it. Taking part needs an account (a session's guests come with the
live room) and an open conversation."""

import rules

from deliberation.rules import facilitates_a_body
from live.rules import facilitates_session

is_staff = rules.is_staff


@rules.predicate
def opened_it(user, conversation) -> bool:
    return bool(user and user.is_authenticated and conversation.opened_by_id == user.pk)


@rules.predicate
def facilitates_its_session(user, conversation) -> bool:
    item = conversation.agenda_item
    return item is not None and facilitates_session(user, item.session)


@rules.predicate
def is_open(user, conversation) -> bool:
    return conversation.is_open


@rules.predicate
def is_person(user) -> bool:
    return bool(user and user.is_authenticated and not user.is_guest_stand_in)


runs_conversation = is_staff | opened_it | facilitates_its_session

rules.add_perm("opinions.view_conversation", rules.always_allow)
rules.add_perm("opinions.add_conversation", is_staff | facilitates_a_body)
rules.add_perm("opinions.moderate_conversation", runs_conversation)
rules.add_perm("opinions.close_conversation", runs_conversation & is_open)
rules.add_perm("opinions.add_statement", is_person & is_open)
rules.add_perm("opinions.vote", is_person & is_open)
