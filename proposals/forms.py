from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from deliberation.models import Category, Process
from proposals.models import Proposal
from proposals.services import ANSWER_STATES, BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("At most 200 characters."),
        error_messages={"required": _("Give your proposal a title.")},
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "At most 10,000 characters. You can use *emphasis*, **bold**, lists and links."
        ),
        error_messages={"required": _("Describe your proposal.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    coauthors = forms.CharField(
        label=_("Co-authors"),
        required=False,
        help_text=_("Optional: the e-mail addresses of co-authors with an account, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = process.categories.all()
        if not process.categories.exists():
            del self.fields["category"]

    def clean_coauthors(self) -> list[User]:
        emails = {e.strip().lower() for e in self.cleaned_data["coauthors"].split() if e.strip()}
        users = list(User.objects.filter(email__in=emails, is_active=True))
        missing = emails - {u.email for u in users}
        if missing:
            raise forms.ValidationError(
                _("No account uses these addresses: %(emails)s")
                % {"emails": ", ".join(sorted(missing))}
            )
        return users


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("New state"),
        choices=[(s.value, s.label) for s in ANSWER_STATES],
    )
    answer = forms.CharField(
        label=_("Public answer"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer the public will read.")},
    )


SORTS = {
    "random": _("Random"),
    "newest": _("Newest"),
    "supported": _("Most supported"),
    "commented": _("Most commented"),
}
FILTER_STATES = [
    Proposal.State.PUBLISHED,
    Proposal.State.EVALUATING,
    Proposal.State.ACCEPTED,
    Proposal.State.REJECTED,
    Proposal.State.WITHDRAWN,
]
PAGE_SIZES = (10, 25, 50)
