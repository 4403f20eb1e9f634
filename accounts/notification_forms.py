from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.notifications import kinds


class EmailPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=lambda: [(kind.code, kind.label) for kind in kinds()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
