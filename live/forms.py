from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from live.models import AgendaItem, Attendance, Session
from proposals.models import Proposal
from voting.models import Ballot


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("online meeting link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Session
        fields = [
            "body",
            "process",
            "title",
            "description",
            "format",
            "place",
            "online_link",
            "starts_at",
            "ends_at",
            "guests_allowed",
        ]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}


class SessionEditForm(SessionForm):
    """A scheduled session's details; whom it belongs to stays."""

    class Meta(SessionForm.Meta):
        fields = [f for f in SessionForm.Meta.fields if f not in ("body", "process")]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone invited is told, and the session's page shows it."),
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "timebox_minutes", "proposals", "ballot"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        # The model fields have no verbose name (adding one would need a migration), so the
        # labels are named here; "Ballot" is the vote held on the item.
        labels = {
            "proposals": _("Proposals"),
            "ballot": pgettext_lazy("agenda item field", "Ballot"),
        }

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        proposals = Proposal.objects.filter(hidden=False).exclude(state__in=["draft", "withdrawn"])
        ballots = Ballot.objects.exclude(state=Ballot.State.CLOSED)
        if session.process_id:
            proposals = proposals.filter(process_id=session.process_id)
            ballots = ballots.filter(process_id=session.process_id)
        if session.body_id:
            ballots = ballots.filter(body_id__in=[session.body_id]) | ballots.filter(
                body__isnull=True
            )
        self.fields["proposals"].queryset = proposals.order_by("title")
        self.fields["proposals"].required = False
        self.fields["ballot"].queryset = ballots.order_by("-pk")


class JoinForm(forms.Form):
    nickname = forms.CharField(
        label=_("Your name or nickname"),
        max_length=40,
        help_text=_("Shown next to your questions and in the speaker queue."),
    )
    mode = forms.ChoiceField(
        label=_("How are you taking part?"),
        choices=Attendance.Mode.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Mode.IN_ROOM,
    )

    def __init__(self, *args, guest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["nickname"]

    def clean_nickname(self) -> str:
        name = " ".join(self.cleaned_data["nickname"].split())
        if not name:
            raise forms.ValidationError(_("Give a name others will see."))
        return name


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=12)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TimerForm(forms.Form):
    minutes = forms.IntegerField(
        label=pgettext_lazy("timer duration", "Minutes"), min_value=1, max_value=240, initial=5
    )


class OutcomeForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AgendaItem.Decision.choices, required=False
    )
    text = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.CharField(label=_("Who"), max_length=120, required=False)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("Your correction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("The minutes"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Markdown: # for headings, - for lists, **bold**. Accepted corrections stay listed "
            "after your text."
        ),
    )


class PublishMinutesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why publish now"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept and shown with the minutes, since the attendees' window is cut short."),
    )
