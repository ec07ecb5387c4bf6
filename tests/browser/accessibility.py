"""axe-core (from npm, node_modules/axe-core) and Chromium's accessibility tree for the browser tests."""
from __future__ import annotations

from typing import List, Optional

import pytest

from tests.servers import REPO

AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> List[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now.

    Injecting the script needs a context made with bypass_csp=True: the page's CSP allows no
    inline script."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup)")
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG21_AA)
    return result["violations"]


def describe(violations: List[dict]) -> str:
    """One line per element: rule id, impact, target, help, and axe's summary of what to fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"- {violation['id']} ({violation['impact']}) at {target}: "
                         f"{violation['help']}. {summary}")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, (f"axe-core: {len(violations)} WCAG 2.1 AA rule(s) violated on {what}:\n"
                            + describe(violations))


def live_region_of(page, text: str) -> Optional[dict]:
    """The live region Chromium's accessibility tree places the text `text` in, as
    {"role", "name", "live", "relevant"}; None when the text is not exposed (hidden) or sits in
    no live region. This is what a screen reader is told about new content."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {node["nodeId"]: node for node in nodes}
    texts = [node for node in nodes if not node.get("ignored")
             and node.get("role", {}).get("value") == "StaticText"
             and text in node.get("name", {}).get("value", "")]
    for node in texts:
        current = by_id.get(node.get("parentId"))
        while current is not None:
            props = {p["name"]: p["value"].get("value") for p in current.get("properties", [])}
            if props.get("live") not in (None, "off"):
                return {"role": current.get("role", {}).get("value"),
                        "name": current.get("name", {}).get("value", ""),
                        "live": props["live"], "relevant": props.get("relevant", "")}
            current = by_id.get(current.get("parentId"))
    return None


def focus_ring(page) -> dict:
    """The focused element and how its focus is drawn: {"name", "outline_style", "outline_px"}."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {name: (el.id || el.getAttribute('aria-label') || el.textContent || el.tagName).trim(),
                tag: el.tagName.toLowerCase(),
                outline_style: style.outlineStyle, outline_px: parseFloat(style.outlineWidth) || 0};
    }""")
