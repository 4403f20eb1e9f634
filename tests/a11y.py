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
