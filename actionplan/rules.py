"""Who may do what with the action plan.

Staff (the city office) edit the plan, commitments, milestones and updates and promote
proposals, agenda outcomes and ballots; the independent monitor writes assessments and reads
drafts; everyone else reads what is published. Nobody edits a published assessment.
"""

import rules

from actionplan.models import ActionPlan, Commitment


@rules.predicate
def is_monitor(user) -> bool:
    return bool(getattr(user, "is_monitor", False)) and user.is_active


@rules.predicate
def plan_is_public(user, plan: ActionPlan) -> bool:
    return plan.is_public


@rules.predicate
def commitment_is_public(user, commitment: Commitment) -> bool:
    return commitment.is_published and commitment.plan.is_public


is_staff = rules.is_staff
reads_drafts = is_staff | is_monitor

rules.add_perm("actionplan.view_actionplan", plan_is_public | reads_drafts)
rules.add_perm("actionplan.view_commitment", commitment_is_public | reads_drafts)
# Following is a choice about one's own notifications: anyone signed in who can see it.
rules.add_perm(
    "actionplan.follow_commitment", rules.is_authenticated & (commitment_is_public | reads_drafts)
)
rules.add_perm("actionplan.view_drafts", reads_drafts)
rules.add_perm("actionplan.add_actionplan", is_staff)
rules.add_perm("actionplan.change_actionplan", is_staff)
rules.add_perm("actionplan.add_commitment", is_staff)
rules.add_perm("actionplan.change_commitment", is_staff)
rules.add_perm("actionplan.change_milestone", is_staff)
rules.add_perm("actionplan.add_progressupdate", is_staff)
rules.add_perm("actionplan.promote", is_staff)
rules.add_perm("actionplan.view_changerecord", is_staff)
rules.add_perm("actionplan.add_assessment", is_monitor)
rules.add_perm("actionplan.add_monitorreport", is_monitor & plan_is_public)


@rules.predicate
def is_own_endorsement(user, endorsement) -> bool:
    return endorsement.user_id is not None and endorsement.user_id == user.pk


# Staff list the plan's endorsers; an endorser may add their own endorsement and take it back.
rules.add_perm("actionplan.add_endorsement", rules.is_authenticated & plan_is_public)
rules.add_perm("actionplan.add_endorsement_for_others", is_staff)
rules.add_perm("actionplan.delete_endorsement", is_staff | is_own_endorsement)
# Assessments are published as written: not even their author or staff change them.
rules.add_perm("actionplan.change_assessment", rules.always_deny)
