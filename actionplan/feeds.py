from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from actionplan.models import ActionPlan, ProgressUpdate


class ProgressFeed(Feed):
    """Public progress updates of a public plan's published commitments, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str) -> ActionPlan:
        from django.shortcuts import get_object_or_404

        return get_object_or_404(ActionPlan.objects.exclude(status="draft"), slug=slug)

    def title(self, plan: ActionPlan) -> str:
        return _("Progress of %(plan)s") % {"plan": plan.title}

    def link(self, plan: ActionPlan) -> str:
        return plan.get_absolute_url()

    def subtitle(self, plan: ActionPlan) -> str:
        return _("Progress updates on the commitments of the action plan.")

    def items(self, plan: ActionPlan):
        return (
            ProgressUpdate.objects.filter(
                commitment__plan=plan, commitment__is_published=True, is_public=True
            )
            .select_related("commitment")
            .order_by("-created_at")[:50]
        )

    def item_title(self, update: ProgressUpdate) -> str:
        return update.commitment.title

    def item_description(self, update: ProgressUpdate) -> str:
        return update.text

    def item_link(self, update: ProgressUpdate) -> str:
        return f"{update.commitment.get_absolute_url()}#update-{update.pk}"

    def item_pubdate(self, update: ProgressUpdate):
        return update.created_at
