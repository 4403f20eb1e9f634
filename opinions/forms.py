from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opinions.models import STATEMENT_MAX_LENGTH, Conversation
from opinions.services import QUESTION_MAX_LENGTH


class ConversationForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=QUESTION_MAX_LENGTH)
    moderation = forms.ChoiceField(
        label=_("Moderate participants' statements"),
        choices=Conversation.Moderation.choices,
        initial=Conversation.Moderation.AFTER,
        widget=forms.RadioSelect,
    )
    seeds = forms.CharField(
        label=_("Seed statements"),
        # The limit is put in when the form is made (see __init__), in the visitor's language.
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seeds"].help_text = gettext(
            "One per line, each at most %(limit)d characters."
        ) % {"limit": STATEMENT_MAX_LENGTH}

    def seed_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["seeds"].splitlines() if line.strip()]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        help_text=_("One short, clear sentence others can agree or disagree with."),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
    )
