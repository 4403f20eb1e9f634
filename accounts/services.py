from accounts.models import User


def update_profile(user: User, *, display_name: str, preferred_language: str, sector: str) -> User:
    """Change what a person says about themselves; only they may, so no permission beyond login."""
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.sector = sector
    user.save(update_fields=["display_name", "preferred_language", "sector"])
    return user
