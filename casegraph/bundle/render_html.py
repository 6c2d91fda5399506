"""bundle.html: the bundle as a readable, print-friendly Chinese report (jinja2, inline SVG)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from casegraph.bundle import labels
from casegraph.bundle.layout import flow_diagram
from casegraph.bundle.models import Bundle
from casegraph.i18n.formats import format_date, word


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("casegraph.bundle", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["yuan"] = lambda v: f"{v:,.2f}"
    env.filters["role"] = lambda v: labels.label(labels.ROLES, v)
    env.filters["doc_kind"] = lambda v: labels.label(labels.DOCUMENT_KINDS, v)
    env.filters["region"] = lambda v: labels.label(labels.REGIONS, v)
    env.filters["id_kind"] = lambda v: labels.label(labels.IDENTIFIERS, v)
    env.filters["typology"] = lambda v: labels.label(labels.TYPOLOGIES, v)
    env.filters["direction"] = lambda v: labels.label(labels.DIRECTIONS, v)
    env.filters["entity_label"] = lambda v: labels.label(labels.LABELS, v)
    env.filters["cndate"] = lambda v: format_date(v, "zh")
    env.filters["review"] = lambda v: word(v, "zh")
    env.filters["short"] = lambda key: key.split(":", 1)[-1] if key else "—"
    return env


def render_html(bundle: Bundle) -> str:
    names = {p.key: p.name or p.key for p in bundle.parties.items}
    evidence = {e.id: e for e in bundle.evidence}
    return _environment().get_template("bundle.html.j2").render(
        b=bundle, diagram=flow_diagram(bundle), names=names, evidence=evidence)
