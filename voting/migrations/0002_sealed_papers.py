"""Secret ballots' papers: sealed while the ballot is open, opened in a random order at close.

Existing papers were written beside their votes, in the order of voting. An open ballot's
papers become sealed papers (found through a lookup with a salt of their own); a closed
ballot's are written again in a random order with fresh ids and their sector sealed, and
every counter of a secret ballot is written again. Both need the server's SECRET_KEY, as the lookups already did: run it with the production key.
"""

import random
import uuid

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F
from django.utils.crypto import salted_hmac

from voting import sealing


def _lookup(salt: str, ballot_id: int, voter_id: int) -> str:
    return salted_hmac(salt, f"{ballot_id}:{voter_id}", algorithm="sha256").hexdigest()


def _check_now(schema_editor) -> None:
    """PostgreSQL alters no table with foreign key checks still pending from these rows."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def seal_and_shuffle(apps, schema_editor):
    Ballot = apps.get_model("voting", "Ballot")
    BallotPaper = apps.get_model("voting", "BallotPaper")
    SealedPaper = apps.get_model("voting", "SealedPaper")
    Vote = apps.get_model("voting", "Vote")
    shuffle = random.SystemRandom().shuffle
    for ballot in Ballot.objects.filter(secrecy="secret").order_by("pk"):
        papers = list(BallotPaper.objects.filter(ballot=ballot))
        if not papers:
            continue
        if ballot.state == "closed":
            rows = [
                BallotPaper(
                    id=uuid.uuid4(),
                    ballot=ballot,
                    lookup=p.lookup,
                    choice=p.choice,
                    sealed_sector=sealing.seal(p.sector, ballot.pk, 64),
                )
                for p in papers
            ]
            model = BallotPaper
        else:
            by_lookup = {p.lookup: p for p in papers}
            rows = []
            for voter_id in Vote.objects.filter(ballot=ballot).values_list("voter_id", flat=True):
                paper = by_lookup.get(_lookup("voting.ballot-paper", ballot.pk, voter_id))
                if paper is None:
                    continue
                content = {"choice": paper.choice, "sector": paper.sector, "lookup": paper.lookup}
                rows.append(
                    SealedPaper(
                        id=uuid.uuid4(),
                        ballot=ballot,
                        lookup=_lookup("voting.sealed-paper", ballot.pk, voter_id),
                        sealed=sealing.seal(content, ballot.pk),
                    )
                )
            model = SealedPaper
        shuffle(rows)
        BallotPaper.objects.filter(ballot=ballot).delete()
        model.objects.bulk_create(rows, batch_size=500)
    # Each counter was last written by the last vote that changed it (PostgreSQL's xmin):
    # written again here, none points at a voter.
    OptionTally = apps.get_model("voting", "OptionTally")
    OptionTally.objects.filter(option__ballot__secrecy="secret").update(count=F("count"))
    _check_now(schema_editor)


def unseal_back(apps, schema_editor):
    """Back to 0001: every paper in clear with its sector, as that code reads them."""
    Ballot = apps.get_model("voting", "Ballot")
    BallotPaper = apps.get_model("voting", "BallotPaper")
    SealedPaper = apps.get_model("voting", "SealedPaper")
    for ballot in Ballot.objects.filter(secrecy="secret").order_by("pk"):
        for paper in BallotPaper.objects.filter(ballot=ballot).exclude(sealed_sector=""):
            paper.sector = sealing.unseal(paper.sealed_sector, ballot.pk)
            paper.save(update_fields=["sector"])
        rows = []
        for text in SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True):
            content = sealing.unseal(text, ballot.pk)
            rows.append(
                BallotPaper(
                    id=uuid.uuid4(),
                    ballot=ballot,
                    lookup=content["lookup"],
                    choice=content["choice"],
                    sector=content["sector"],
                )
            )
        SealedPaper.objects.filter(ballot=ballot).delete()
        BallotPaper.objects.bulk_create(rows, batch_size=500)
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballotpaper",
            name="sealed_sector",
            field=models.TextField(blank=True),
        ),
        migrations.CreateModel(
            name="SealedPaper",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("lookup", models.CharField(max_length=64)),
                ("sealed", models.TextField()),
                (
                    "ballot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sealed_papers",
                        to="voting.ballot",
                    ),
                ),
            ],
            options={
                "verbose_name": "sealed ballot paper",
                "verbose_name_plural": "sealed ballot papers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("ballot", "lookup"), name="one_sealed_paper_per_lookup"
                    )
                ],
            },
        ),
        migrations.RunPython(seal_and_shuffle, unseal_back, elidable=False),
        migrations.RemoveField(
            model_name="ballotpaper",
            name="sector",
        ),
    ]
