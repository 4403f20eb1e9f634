"""The plan page's endorsements and monitor's reports, drawn where the template puts them."""

from django import template

register = template.Library()


@register.inclusion_tag("actionplan/_plan_documents.html", takes_context=True)
def plan_documents(context, plan):
    user = context["request"].user
    return {
        "plan": plan,
        "request": context["request"],
        "endorsements": list(plan.endorsements.all()),
        "reports": list(plan.monitor_reports.all()),
        "can_endorse": user.has_perm("actionplan.add_endorsement", plan),
        "endorses_for_others": user.has_perm("actionplan.add_endorsement_for_others", plan),
        "can_report": user.has_perm("actionplan.add_monitorreport", plan),
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }
