from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation.models import BodyGroup, Membership, Phase, Process
from deliberation.services import PhaseDates


class DateInput(forms.DateInput):
    input_type = "date"


class ProcessForm(forms.ModelForm):
    """The process itself plus, per phase kind, optional start and end dates."""

    categories = forms.CharField(
        label=_("Proposal categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. Greenery, Play, Safety."),
    )

    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "scope",
            "image_url",
            "image_alt",
            "support_threshold",
        ]
        help_texts = {
            "slug": _("The short name in the address, e.g. city-park."),
            "image_url": _("Optional: the address of a picture published on the city's site."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {p.kind: p for p in self.instance.phases.all()}
            self.fields["categories"].initial = "\n".join(
                self.instance.categories.values_list("name", flat=True)
            )
        for kind, label in Phase.Kind.choices:
            phase = existing.get(kind)
            self.fields[f"{kind}_starts_on"] = forms.DateField(
                label=_("%(phase)s phase starts on") % {"phase": label},
                required=False,
                widget=DateInput,
                initial=phase.starts_on if phase else None,
            )
            self.fields[f"{kind}_ends_on"] = forms.DateField(
                label=_("%(phase)s phase ends on") % {"phase": label},
                required=False,
                widget=DateInput,
                initial=phase.ends_on if phase else None,
            )

    def clean(self):
        cleaned = super().clean()
        phases = []
        for kind, _label in Phase.Kind.choices:
            starts, ends = cleaned.get(f"{kind}_starts_on"), cleaned.get(f"{kind}_ends_on")
            if bool(starts) != bool(ends):
                self.add_error(f"{kind}_ends_on", _("Give both dates of the phase, or neither."))
            elif starts and ends:
                if ends < starts:
                    self.add_error(f"{kind}_ends_on", _("A phase cannot end before it starts."))
                else:
                    phases.append(PhaseDates(kind, starts, ends))
        cleaned["phases"] = phases
        cleaned["category_names"] = [
            line.strip()[:80] for line in cleaned.get("categories", "").splitlines() if line.strip()
        ]
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial="member")
    group = forms.ChoiceField(
        label=_("Group"), choices=[("", _("No group"))] + BodyGroup.choices, required=False
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    group = forms.ChoiceField(
        label=_("Group"), choices=[("", _("No group"))] + BodyGroup.choices, required=False
    )


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=300,
        help_text=_("Kept in the body's history; not shown publicly."),
    )
