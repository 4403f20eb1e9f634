"""Who may do what with processes, and who runs a body's work. Reading a process is public."""

import rules

from deliberation.models import Membership

is_staff = rules.is_staff

# The roles that run a body's sessions and ballots.
MANAGING_ROLES = (Membership.Role.CHAIR, Membership.Role.FACILITATOR)


def manages_body(user, body_id: int | None) -> bool:
    """Whether this person chairs or facilitates the body."""
    return bool(
        user
        and user.is_authenticated
        and body_id
        and Membership.objects.current()
        .filter(user=user, body_id=body_id, role__in=MANAGING_ROLES)
        .exists()
    )


@rules.predicate
def facilitates_a_body(user) -> bool:
    """Chairs or facilitates some body: may prepare sessions and ballots."""
    return bool(
        user
        and user.is_authenticated
        and Membership.objects.current().filter(user=user, role__in=MANAGING_ROLES).exists()
    )


@rules.predicate
def chairs_the_body(user, body) -> bool:
    """Holds a current chair's seat on this body."""
    return bool(
        user
        and user.is_authenticated
        and body
        and Membership.objects.current()
        .filter(user=user, body=body, role=Membership.Role.CHAIR)
        .exists()
    )


@rules.predicate
def is_the_member(user, membership) -> bool:
    """The person whose seat it is."""
    return bool(user and user.is_authenticated and membership and membership.user_id == user.pk)


rules.add_perm("deliberation.view_process", rules.always_allow)
# Only the member decides whether their name is on the body's public page; staff cannot.
rules.add_perm("deliberation.choose_name_shown", is_the_member)
# Inviting, changing and ending seats: city staff and the body's chair (issue 14), not its
# facilitators, who run sessions but do not decide who sits on the body.
rules.add_perm("deliberation.manage_members", is_staff | chairs_the_body)
rules.add_perm("deliberation.add_process", is_staff)
rules.add_perm("deliberation.change_process", is_staff)
