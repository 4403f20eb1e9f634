from allauth.account.adapter import DefaultAccountAdapter

from core.clients import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Spolu's changes to allauth's behaviour."""

    def save_user(self, request, user, form, commit=True):
        # Start a new account in the language the visitor was using when signing up.
        user = super().save_user(request, user, form, commit=False)
        if not user.preferred_language:
            user.preferred_language = getattr(request, "LANGUAGE_CODE", "") or ""
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        # allauth's rate limits count by the same client address as every limit in Spolu.
        return client_address(request)
