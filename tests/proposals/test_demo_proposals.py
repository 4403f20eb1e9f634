from django.core.management import call_command

from deliberation.models import Process
from proposals.models import Proposal, Support


def test_seed_demo_adds_processes_in_their_phases_and_proposals_once(db):
    call_command("seed_demo")
    call_command("seed_demo")
    phases = {p.slug: p.current_phase().kind for p in Process.objects.all()}
    assert phases["mestsky-park"] == "proposals"
    assert phases["zelene-sidliska"] == "deliberation"
    assert "ap-og-24-26" in phases
    assert Proposal.objects.count() == 12
    for proposal in Proposal.objects.all():
        assert proposal.supports_count == Support.objects.filter(proposal=proposal).count()
    assert Proposal.objects.filter(state="accepted").exclude(answer="").exists()
