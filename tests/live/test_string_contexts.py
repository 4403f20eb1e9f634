"""Words that mean different things get different strings (pgettext contexts), so a
translator can give each its own: the timer's "Minutes" is a duration, the session's
"Minutes" its written record ("Zápisnica" in Slovak, which the timer used to be labelled)."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import trans_real

from live.models import Session

# What a translator would enter for the two meanings (the catalogues are the lead's to fill).
SLOVAK = {
    "timer duration\x04Minutes": "Minúty",
    "meeting record\x04Minutes": "Zápisnica",
}


@pytest.fixture
def slovak(client, monkeypatch):
    catalog = trans_real.translation("sk")._catalog._catalogs[0]
    for msgid, text in SLOVAK.items():
        monkeypatch.setitem(catalog, msgid, text)
    client.cookies["django_language"] = "sk"


def test_the_timer_is_labelled_in_minutes_not_as_the_minutes(
    client, slovak, live_session, facilitator
):
    client.force_login(facilitator)
    page = client.get(reverse("session_console", args=[live_session.join_code])).content.decode()
    label = re.search(r'<label for="timer-minutes">([^<]*)</label>', page).group(1)
    assert label == "Minúty"


def test_a_closed_session_links_to_its_minutes_by_their_name(client, slovak, live_session):
    Session.objects.filter(pk=live_session.pk).update(state="closed")
    page = client.get(reverse("session_detail", args=[live_session.join_code])).content.decode()
    assert ">Zápisnica</a>" in page


def test_the_agenda_forms_ballot_field_is_labelled_in_the_chosen_language(
    client, monkeypatch, live_session, facilitator
):
    catalog = trans_real.translation("sk")._catalog._catalogs[0]
    monkeypatch.setitem(catalog, "agenda item field\x04Ballot", "Hlasovanie")
    client.cookies["django_language"] = "sk"
    client.force_login(facilitator)
    page = client.get(reverse("session_agenda", args=[live_session.join_code])).content.decode()
    assert re.search(r'<label for="id_ballot">\s*Hlasovanie', page), "the label is not translated"
