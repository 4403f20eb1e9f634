"""Forms for running ballots, and reading a voting form's POST into a choice."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliberation.models import Body
from deliberation.rules import MANAGING_ROLES
from proposals.models import Proposal
from voting.models import MAX_COST, Ballot, Option

SETTINGS_FIELDS = [
    "max_supports",
    "min_selections",
    "max_selections",
    "score_max",
    "dots_per_voter",
    "max_dots_per_option",
    "budget_total",
    "ranked_counting",
    "quorum",
    "majority",
]


class BallotForm(forms.ModelForm):
    options_text = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One option per line. For a budget ballot write the cost after a bar: "
            "“New benches | 12000”. Yes / no ballots get their options by themselves."
        ),
    )
    proposals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Proposals as options"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each proposal you tick becomes an option, after those above."),
    )

    class Meta:
        model = Ballot
        fields = [
            "question",
            "description",
            "method",
            "eligibility",
            "body",
            "secrecy",
            "results_visibility",
            "opens_at",
            "closes_at",
            *SETTINGS_FIELDS,
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, process, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        bodies = Body.objects.all()
        if not user.is_staff:
            bodies = bodies.filter(
                memberships__user=user,
                memberships__role__in=MANAGING_ROLES,
                memberships__ended_on__isnull=True,
            )
        self.fields["body"].queryset = bodies.distinct()
        self.fields["proposals"].queryset = Proposal.objects.filter(process=process).exclude(
            state__in=["draft", "withdrawn"]
        )
        if self.instance.pk and not frozen:
            self.initial["options_text"] = "\n".join(
                f"{o.label} | {o.cost}" if o.cost is not None else o.label
                for o in self.instance.options.filter(proposal__isnull=True, code="")
            )
            self.initial["proposals"] = [
                o.proposal_id for o in self.instance.options.exclude(proposal__isnull=True)
            ]
        if "budget_total" in self.fields:
            self.fields["budget_total"].validators.append(MaxValueValidator(MAX_COST))
            self.fields["budget_total"].widget.attrs["max"] = MAX_COST
        if frozen:
            for name in list(self.fields):
                if name not in ("description", "closes_at"):
                    del self.fields[name]

    def _typed_options(self, text: str) -> list[dict]:
        """Each non-blank line of the options box as {label, cost?}; a cost that is not a whole
        number from 0 to MAX_COST is the field's error, so nothing is saved."""
        specs = []
        for line in text.splitlines():
            if not line.strip():
                continue
            label, _bar, cost = line.partition("|")
            label = label.strip()
            spec = {"label": label}
            if cost.strip():
                try:
                    spec["cost"] = int(cost.strip().replace(" ", ""))
                except ValueError:
                    raise forms.ValidationError(
                        _("The cost of “%(label)s” is not a whole number.") % {"label": label}
                    ) from None
                if not 0 <= spec["cost"] <= MAX_COST:
                    raise forms.ValidationError(
                        _("The cost of “%(label)s” must be between 0 and %(max)s.")
                        % {"label": label, "max": MAX_COST}
                    )
            specs.append(spec)
        return specs

    def clean_options_text(self) -> str:
        text = self.cleaned_data.get("options_text", "")
        self._typed_options(text)
        return text

    def option_specs(self) -> list[dict]:
        specs = self._typed_options(self.cleaned_data.get("options_text", ""))
        for proposal in self.cleaned_data.get("proposals") or []:
            specs.append({"label": proposal.title, "proposal": proposal})
        return specs


class PaperCountForm(forms.Form):
    ballots_cast = forms.IntegerField(label=gettext_lazy("Paper ballots cast"), min_value=0)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example which round or ballot box this is."),
    )

    def __init__(self, *args, options: list[Option], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.IntegerField(
                label=option.display_label, min_value=0, initial=0
            )

    def counts(self) -> dict[str, int]:
        return {str(o.pk): self.cleaned_data[f"option_{o.pk}"] for o in self.options}


def choice_from_post(ballot: Ballot, options: list[Option], data) -> dict:
    """The raw choice a voting form posted; the service checks it."""
    method = ballot.method
    if method in (Ballot.Method.SINGLE, Ballot.Method.YES_NO):
        return {"option": data.get("option")}
    if method in (Ballot.Method.SUPPORT, Ballot.Method.MULTIPLE, Ballot.Method.BUDGET):
        return {"options": data.getlist("options")}
    if method == Ballot.Method.RANKED:
        ranking = [data.get(f"rank_{n}") for n in range(1, len(options) + 1)]
        return {"ranking": [value for value in ranking if value]}
    field = "score" if method == Ballot.Method.SCORE else "dots"
    pairs = []
    for option in options:
        value = (data.get(f"{field}_{option.pk}") or "").strip()
        if value:
            pairs.append([option.pk, value])
    return {"scores" if field == "score" else "dots": pairs}
