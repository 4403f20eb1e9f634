"""Demo accounts. Every one signs in with the password DEMO_PASSWORD."""

from allauth.account.models import EmailAddress

from accounts.models import Sector, User

DEMO_PASSWORD = "spolu-demo"  # noqa: S105 — published in the README on purpose

# (e-mail, display name, sector, flags)
ROLE_ACCOUNTS = [
    (
        "admin@spolu.example",
        "Správca Spolu",
        Sector.PUBLIC_ADMINISTRATION,
        {"is_staff": True, "is_superuser": True},
    ),
    ("staff@spolu.example", "Zuzana Hrivnáková", Sector.PUBLIC_ADMINISTRATION, {"is_staff": True}),
    ("facilitator@spolu.example", "Martin Kolesár", Sector.CIVIL_SOCIETY, {}),
    ("monitor@spolu.example", "doc. Eva Lichnerová", Sector.ACADEMIA, {"is_monitor": True}),
    ("resident@spolu.example", "Peter Horváth", Sector.RESIDENT, {}),
]

# The eight CoLaboratory Board members, across the sectors.
BOARD_MEMBERS = [
    ("board.kovacova@spolu.example", "Jana Kováčová", Sector.PUBLIC_ADMINISTRATION),
    ("board.balaz@spolu.example", "Tomáš Baláž", Sector.PUBLIC_ADMINISTRATION),
    ("board.sykorova@spolu.example", "Lucia Sýkorová", Sector.CIVIL_SOCIETY),
    ("board.gaziova@spolu.example", "Renáta Gáziová", Sector.CIVIL_SOCIETY),
    ("board.urban@spolu.example", "Michal Urban", Sector.COUNCIL),
    ("board.polak@spolu.example", "Ondrej Polák", Sector.BUSINESS),
    ("board.marko@spolu.example", "prof. Ivan Marko", Sector.ACADEMIA),
    ("board.lacko@spolu.example", "Dávid Lacko", Sector.STUDENT),
]


def demo_user(email: str, display_name: str, sector: str, **flags) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": display_name,
            "sector": sector,
            "preferred_language": "sk",
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed() -> None:
    for email, name, sector, flags in ROLE_ACCOUNTS:
        demo_user(email, name, sector, **flags)
    for email, name, sector in BOARD_MEMBERS:
        demo_user(email, name, sector)
