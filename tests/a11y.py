"""Accessibility check for a page: axe-core (bundled by axe-playwright-python) in Chromium."""

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]
    if violations:
        lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {page.url}:"]
        for v in violations:
            targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} — {targets}")
        raise AssertionError("\n".join(lines))


def assert_no_violation_of(page, rules: list[str]) -> None:
    """Fail on any violation, whatever its impact, of the given axe-core rules (for example the
    moderate "heading-order"), so a page fixed for one of them stays fixed."""
    options = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": rules}}
    violations = _axe.run(page, options=options).response["violations"]
    if violations:
        lines = [f"axe-core found a violation of {rules} on {page.url}:"]
        for v in violations:
            targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} — {targets}")
        raise AssertionError("\n".join(lines))


def violations(page) -> list[str]:
    """Every axe-core violation on the page as it is now, whatever its impact, one line each."""
    found = _axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in found
    ]


def assert_no_violations(page) -> None:
    """Fail on any axe-core violation, minor and moderate ones too."""
    found = violations(page)
    if found:
        lines = [f"axe-core found {len(found)} violation(s) on {page.url}:"]
        raise AssertionError("\n".join(lines + [f"- {line}" for line in found]))
