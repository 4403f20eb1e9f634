"""The whole plan as JSON (schema in docs/actionplan.md), CSV (a row per milestone), Markdown."""

import csv
import io
import json

from actionplan.models import ActionPlan
from actionplan.tracker import CommitmentProgress
from core.spreadsheet import safe_cell

SCHEMA_VERSION = 1


def _commitments(commitments):
    return list(
        commitments.select_related("priority").prefetch_related(
            "milestones",
            "sources__proposal",
            "sources__ballot",
            "sources__agenda_item__session",
            "assessments",
        )
    )


def _source(source) -> dict:
    if source.proposal_id:
        return {"type": "proposal", "id": source.proposal_id, "title": source.proposal.title}
    if source.ballot_id:
        return {"type": "ballot", "id": source.ballot_id, "title": source.ballot.question}
    item = source.agenda_item
    return {
        "type": "session_outcome",
        "id": source.agenda_item_id,
        "title": f"{item.session.title}: {item.title} — {item.outcome}",
    }


def plan_data(plan: ActionPlan, commitments) -> dict:
    rows = []
    for c in _commitments(commitments):
        progress = CommitmentProgress(c, list(c.milestones.all()))
        rows.append(
            {
                "id": c.pk,
                "title": c.title,
                "priority": c.priority.title if c.priority else None,
                "problem": c.problem,
                "description": c.description,
                "lead_institution": c.lead_institution,
                "supporting_institutions": c.supporting_institutions,
                "ogp_values": list(c.ogp_values),
                "status": c.status,
                "starts_on": c.starts_on.isoformat() if c.starts_on else None,
                "ends_on": c.ends_on.isoformat() if c.ends_on else None,
                "progress": progress.percent,
                "milestones_done": progress.done,
                "milestones_total": progress.total,
                "milestones": [
                    {
                        "id": m.pk,
                        "title": m.title,
                        "due_on": m.due_on.isoformat(),
                        "status": m.status,
                        "progress": m.progress,
                        "evidence_links": m.evidence_list(),
                    }
                    for m in progress.milestones
                ],
                "sources": [
                    {**_source(s), "justification": s.justification} for s in c.sources.all()
                ],
                "assessments": [
                    {
                        "kind": a.kind,
                        "completion": a.completion,
                        "early_results": a.early_results,
                        "text": a.text,
                        "published_at": a.published_at.isoformat(),
                    }
                    for a in c.assessments.all()
                ],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "title": plan.title,
        "slug": plan.slug,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "submitted_on": plan.submitted_on.isoformat() if plan.submitted_on else None,
        "lead_institutions": plan.lead_institutions,
        "status": plan.status,
        "priorities": [{"number": p.number, "title": p.title} for p in plan.priorities.all()],
        "commitments": rows,
    }


def plan_json(plan: ActionPlan, commitments) -> str:
    return json.dumps(plan_data(plan, commitments), ensure_ascii=False, indent=2)


CSV_COLUMNS = [
    "commitment_id",
    "commitment",
    "priority",
    "lead_institution",
    "commitment_status",
    "milestone_id",
    "milestone",
    "due_on",
    "milestone_status",
    "progress",
    "evidence_links",
]


def plan_csv(plan: ActionPlan, commitments) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in _commitments(commitments):
        for m in c.milestones.all():
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        c.pk,
                        c.title,
                        c.priority.title if c.priority else "",
                        c.lead_institution,
                        c.status,
                        m.pk,
                        m.title,
                        m.due_on.isoformat(),
                        m.status,
                        m.progress,
                        " ".join(m.evidence_list()),
                    )
                ]
            )
    return out.getvalue()


def plan_markdown(plan: ActionPlan, commitments) -> str:
    data = plan_data(plan, commitments)
    lines = [f"# {data['title']}", "", f"{data['period_start']} – {data['period_end']}", ""]
    for c in data["commitments"]:
        lines += [
            f"## {c['title']}",
            "",
            f"- Status: {c['status']}",
            f"- Lead institution: {c['lead_institution'] or '—'}",
            f"- Progress: {c['progress']} % ({c['milestones_done']}/{c['milestones_total']})",
            "",
        ]
        if c["problem"]:
            lines += [c["problem"], ""]
        lines += ["### Milestones", ""]
        lines += [
            f"- [{'x' if m['status'] == 'completed' else ' '}] {m['title']} "
            f"(due {m['due_on']}, {m['status']}, {m['progress']} %)"
            for m in c["milestones"]
        ]
        if c["sources"]:
            lines += ["", "### Sources", ""]
            lines += [f"- {s['type']}: {s['title']} — {s['justification']}" for s in c["sources"]]
        for a in c["assessments"]:
            lines += ["", f"### Assessment ({a['kind']})", "", a["text"]]
        lines.append("")
    return "\n".join(lines)
