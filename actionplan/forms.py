from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import (
    ActionPlan,
    Assessment,
    Commitment,
    Milestone,
    MonitorReport,
    OgpValue,
    Priority,
)


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    priority = forms.ModelChoiceField(label=_("Priority"), queryset=None, required=False)
    problem = forms.CharField(label=_("Problem addressed"), widget=forms.Textarea, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    lead_institution = forms.CharField(label=_("Lead institution"), required=False)
    supporting_institutions = forms.CharField(label=_("Supporting institutions"), required=False)
    ogp_values = forms.MultipleChoiceField(
        label=_("OGP values"),
        choices=OgpValue.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = plan.priorities.all()


class PromoteForm(forms.Form):
    MODES = [
        ("new", _("Create a new commitment")),
        ("source", _("Attach to an existing commitment as its source")),
        ("milestone", _("Attach to an existing commitment as a new milestone")),
    ]
    mode = forms.ChoiceField(label=_("How"), choices=MODES, widget=forms.RadioSelect, initial="new")
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    plan = forms.ModelChoiceField(label=_("Action plan"), queryset=None, required=False)
    title = forms.CharField(label=_("Title of the new commitment"), required=False, max_length=200)
    priority = forms.ModelChoiceField(
        label=_("Priority of the new commitment"), queryset=Priority.objects.none(), required=False
    )
    commitment = forms.ModelChoiceField(
        label=_("Existing commitment"), queryset=Commitment.objects.none(), required=False
    )
    milestone_title = forms.CharField(label=_("Title of the new milestone"), required=False)
    milestone_due_on = forms.DateField(
        label=_("Due date of the new milestone"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["commitment"].queryset = Commitment.objects.filter(plan__in=plans)
        priorities = Priority.objects.filter(plan__in=plans).select_related("plan")
        self.fields["priority"].queryset = priorities
        if len({priority.plan_id for priority in priorities}) > 1:
            # With several plans, each priority says which plan it belongs to.
            self.fields["priority"].label_from_instance = lambda p: f"{p.plan.title}: {p}"


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), initial=0)
    evidence_links = forms.CharField(
        label=_("Evidence links (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ProgressUpdateForm(forms.Form):
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=None, required=False)
    new_status = forms.ChoiceField(
        label=_("New status of the milestone"),
        choices=[("", _("unchanged"))] + list(Milestone.Status.choices),
        required=False,
    )
    new_progress = forms.IntegerField(label=_("New progress (%)"), required=False)
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = commitment.milestones.all()


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Assessment.Kind.choices)
    completion = forms.ChoiceField(label=_("Completion"), choices=Assessment.Completion.choices)
    early_results = forms.ChoiceField(
        label=_("Early results"), choices=Assessment.EarlyResults.choices
    )
    text = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 6}))


class ActionItemForm(forms.Form):
    commitment = forms.ModelChoiceField(label=_("Commitment"), queryset=Commitment.objects.all())
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Web address (letters, digits and hyphens)"),
        max_length=80,
        help_text=_("Used in the plan's address, e.g. ap-og-24-26."),
    )
    period_start = forms.DateField(
        label=_("Period starts"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=_("Period ends"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    submitted_on = forms.DateField(
        label=_("Submitted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lead_institutions = forms.CharField(label=_("Lead institutions"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlan.Status.choices)
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes that co-created the plan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("All their proposals, comments, votes and sessions count in its statistics."),
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("Bodies whose meetings co-created the plan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their sessions count when held within the co-creation period."),
    )
    cocreation_starts_on = forms.DateField(
        label=_("Co-creation starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cocreation_ends_on = forms.DateField(
        label=_("Co-creation ends on"),
        required=False,
        help_text=_("If empty: the submission date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        from deliberation.models import Body, Process

        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = Process.objects.order_by("title")
        self.fields["bodies"].queryset = Body.objects.order_by("name")


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Title of the priority"), max_length=200)


class UpdateEditForm(forms.Form):
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Public"), required=False)


class EndorsementForm(forms.Form):
    """Staff give the endorser's name; an endorser signed in endorses in their own name."""

    name = forms.CharField(label=_("Name of the endorser"), max_length=160)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    endorsed_on = forms.DateField(
        label=_("Endorsed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, for_others: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_others:
            del self.fields["name"]


class MonitorReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=MonitorReport.Kind.choices)
    published_on = forms.DateField(
        label=_("Date of the report"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=_("Text of the report, as written"), widget=forms.Textarea(attrs={"rows": 16})
    )
