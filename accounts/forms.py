from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "sector"]

    def clean_display_name(self) -> str:
        # Names are plain text: collapse whitespace so nobody appears blank or padded.
        return " ".join(self.cleaned_data["display_name"].split())
