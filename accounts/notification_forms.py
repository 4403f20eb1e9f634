from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification


class EmailPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
