"""Forms for comments, reports and moderation decisions (the services check everything again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import Report, Stance
from proposals.moderation import REASON_MAX_LENGTH, REPORT_TEXT_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        # The limit is COMMENT_MAX_LENGTH (5,000). No max_length here: the service refuses
        # an oversized comment with its own message.
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "At most 5,000 characters. You can use *emphasis*, **bold**, lists, quotes and links."
        ),
        error_messages={"required": _("Write something before posting.")},
        strip=True,
    )
    stance = forms.ChoiceField(
        label=_("Your stance"),
        choices=Stance.choices,
        initial=Stance.NEUTRAL,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose for, against or neutral.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            # Several comment forms share one page (one per reply): keep their ids unique.
            self.auto_id = f"id_{prefix_id}_%s"


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this.")},
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose “Other”. At most 1,000 characters."),
    )


class ModerationForm(forms.Form):
    kind = forms.ChoiceField(choices=[("proposal", "proposal"), ("comment", "comment")])
    pk = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("hide", _("Hide")),
            ("restore", _("Restore")),
            ("dismiss", _("Dismiss the reports")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason (the author and the audit log see it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason; the author and the log will see it.")},
    )
