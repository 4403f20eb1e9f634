from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.notifications import KIND_LABELS


class EmailPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=list(KIND_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
