from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """The municipality running this Spolu instance (the demo: Banská Bystrica)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A standing group that meets in sessions, e.g. the CoLaboratory Board."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="bodies"
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        FACILITATOR = "facilitator", _("Facilitator")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="one_membership_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.body} ({self.get_role_display()})"


class Process(models.Model):
    """A participatory process, e.g. "City Park"; its phases decide what it accepts."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="processes")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
