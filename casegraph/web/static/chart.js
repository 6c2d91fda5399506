// The link chart: cytoscape.js (from npm, served by casegraph). Nodes are keyed by entity key, so
// expanding a node twice or reaching it by two paths never duplicates it.
import cytoscape from "/static/vendor/cytoscape.esm.min.js";

export const NODE_TYPES = ["Person", "Organization", "Account", "Phone", "Address", "Case", "Document", "Mention"];
export const REL_TYPES = ["ROLE_IN", "LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS", "EMPLOYED_BY", "HOLDS", "TRANSFERRED",
                          "USES", "LOCATED_AT", "MENTIONED_IN", "OF_CASE", "POSSIBLY_SAME_AS", "HAS_MEMBER", "HANDLED_BY", "CITES",
                          "CO_DEFENDANT", "ACTS_FOR"];
// Document mentions are most of a neighbourhood's links (160 of 255 at depth 2 on the examples): off by default.
export const HIDDEN_BY_DEFAULT = { labels: new Set(["Document"]), rels: new Set(["MENTIONED_IN"]) };

const COLOURS = { Person: "#e76f51", Organization: "#2a9d8f", Account: "#e9c46a", Phone: "#264653", Address: "#8d99ae",
                  Case: "#6d597a", Document: "#adb5bd", Mention: "#f4a261", Ring: "#d62828" };

// Labels smaller than LEGIBLE_PX on screen are not drawn: a 300-node page fitted to the box is zoomed out
// to where no caption can be read, and drawing hundreds of (rotated) captions was most of its paint.
const LEGIBLE_PX = 6;

const STYLE = [
  { selector: "node", style: { "background-color": (n) => COLOURS[n.data("type")] || "#999", "label": "data(caption)",
                               "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, "width": 22, "height": 22,
                               "min-zoomed-font-size": LEGIBLE_PX } },
  { selector: "node.root", style: { "border-width": 4, "border-color": "#1d3557", "width": 32, "height": 32 } },
  { selector: "node.on-path", style: { "border-width": 4, "border-color": "#d62828" } },
  { selector: "edge", style: { "width": 1.5, "line-color": "#999", "curve-style": "bezier", "target-arrow-shape": "triangle",
                               "target-arrow-color": "#999", "arrow-scale": 0.7, "label": "data(caption)", "font-size": 8,
                               "color": "#555", "text-rotation": "autorotate", "min-zoomed-font-size": LEGIBLE_PX } },
  { selector: "edge[type = 'MENTIONED_IN']", style: { "line-color": "#ddd", "target-arrow-color": "#ddd" } },
  { selector: "edge[type = 'TRANSFERRED']", style: { "line-color": "#e9c46a", "target-arrow-color": "#e9c46a", "width": 2.5 } },
  { selector: "edge[type = 'POSSIBLY_SAME_AS']", style: { "line-style": "dashed", "line-color": "#d62828",
                                                         "target-arrow-shape": "none", "color": "#d62828" } },
  { selector: "edge.on-path", style: { "line-color": "#d62828", "width": 4 } },
  // "+N more": what a page of the neighbourhood left out, fetched when clicked.
  { selector: "node[type = 'More']", style: { "shape": "round-rectangle", "background-color": "#f1faee",
                                              "border-width": 1, "border-color": "#457b9d", "width": 18, "height": 12,
                                              "color": "#1d3557", "font-size": 9 } },
  { selector: "edge[type = 'MORE']", style: { "line-style": "dotted", "line-color": "#457b9d",
                                             "target-arrow-shape": "none", "label": "" } },
  { selector: ".filtered", style: { "display": "none" } },
];

/** The filters as the neighbour route takes them, so that a page brings only what will be shown. */
export function chartQuery(hiddenLabels = HIDDEN_BY_DEFAULT.labels, hiddenRels = HIDDEN_BY_DEFAULT.rels,
                           range = { since: "", until: "" }) {
  return { types: NODE_TYPES.filter((n) => !hiddenLabels.has(n)), rel_types: REL_TYPES.filter((r) => !hiddenRels.has(r)),
           since: range.since, until: range.until };
}

export function edgeId(edge) { return `${edge.type}|${edge.from}|${edge.to}|${edge.role || ""}`; }

export class LinkChart {
  constructor(container, { onNodeTap, onEdgeTap, sameLabel }) {
    this.sameLabel = sameLabel;
    this.hiddenLabels = new Set(HIDDEN_BY_DEFAULT.labels);
    this.hiddenRels = new Set(HIDDEN_BY_DEFAULT.rels);
    this.range = { since: "", until: "" };  // ISO dates; links with a time outside are hidden
    this.cy = cytoscape({ container, style: STYLE, minZoom: 0.1, maxZoom: 4 });
    this.cy.on("tap", "node", (event) => onNodeTap?.(event.target.id()));
    this.cy.on("tap", "edge", (event) => onEdgeTap?.(event.target.data()));
  }

  /** Add what an API neighbourhood answer holds; new nodes go around `centre` (or in rings by distance). */
  add(neighborhood, centre) {
    const cy = this.cy;
    const fresh = [];
    cy.batch(() => {
      if (cy.getElementById(neighborhood.key).empty()) {
        fresh.push(cy.add({ group: "nodes", data: { id: neighborhood.key, type: neighborhood.label,
                                                    caption: neighborhood.name || neighborhood.key, distance: 0 } }));
      }
      for (const n of neighborhood.neighbors) {
        if (!cy.getElementById(n.key).empty()) continue;
        fresh.push(cy.add({ group: "nodes", data: { id: n.key, type: n.label, caption: n.name || n.key,
                                                    distance: n.distance } }));
      }
      for (const e of neighborhood.edges) {
        const id = edgeId(e);
        if (!cy.getElementById(id).empty()) continue;
        const label = e.type === "POSSIBLY_SAME_AS" ? this.sameLabel : (e.role || e.type);
        const caption = e.facts > 1 ? `${label} ×${e.facts}` : label;
        cy.add({ group: "edges", data: { id, source: e.from, target: e.to, type: e.type, role: e.role,
                                         sources: e.sources || [], latest: e.latest || "", caption } });
      }
      this.setMore(neighborhood.key, neighborhood.more || [], neighborhood.moreOf);
      this.applyFilters();
    });
    this.place(fresh, centre);
    return fresh.length;
  }

  place(fresh, centre) {
    if (!fresh.length) return;
    const anchor = centre ? this.cy.getElementById(centre) : null;
    if (!anchor || anchor.empty() || this.cy.nodes().length === fresh.length) {
      // The first draw: rings by distance from the root. O(n), unlike a force layout.
      this.cy.layout({ name: "concentric", concentric: (n) => 10 - (n.data("distance") || 0), levelWidth: () => 1,
                       minNodeSpacing: 12, animate: false }).run();
      this.cy.fit(undefined, 20);
      if (this.cy.zoom() > 1.5) this.cy.zoom({ level: 1.5, position: this.cy.nodes().first().position() });
      this.cy.center();
      return;
    }
    const { x, y } = anchor.position();
    const others = fresh.filter((n) => n.id() !== centre);
    const radius = 90 + others.length * 3;
    others.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / others.length;
      n.position({ x: x + radius * Math.cos(angle), y: y + radius * Math.sin(angle) });
    });
  }

  /** One "+N more TYPE" node per relation type a page left out, beside the node it belongs to. A cursor
   *  page (`moreOf` names its type) replaces that type's node; the others stay as they are. */
  setMore(origin, more, moreOf) {
    const cy = this.cy;
    const types = moreOf ? [moreOf] : more.map((m) => m.type);
    for (const type of types) cy.getElementById(`more|${origin}|${type}`).remove();
    for (const m of more) {
      const id = `more|${origin}|${m.type}`;
      const node = cy.add({ group: "nodes", data: { id, type: "More", origin, relType: m.type, cursor: m.next,
                                                    caption: `+${m.remaining} ${m.type}` } });
      cy.add({ group: "edges", data: { id: `${id}|edge`, source: origin, target: id, type: "MORE", caption: "" } });
      const anchor = cy.getElementById(origin).position();
      node.position({ x: anchor.x + 40, y: anchor.y - 30 - 14 * more.indexOf(m) });
    }
  }

  isMore(id) { return this.cy.getElementById(id).data("type") === "More"; }

  markRoot(key) { this.cy.getElementById(key).addClass("root"); }

  query() { return chartQuery(this.hiddenLabels, this.hiddenRels, this.range); }

  setRange(since, until) { this.range = { since, until }; this.applyFilters(); }

  setFilter(kind, name, shown) {
    const set = kind === "label" ? this.hiddenLabels : this.hiddenRels;
    if (shown) set.delete(name); else set.add(name);
    this.applyFilters();
  }

  applyFilters() {
    this.cy.nodes().forEach((n) => n.toggleClass("filtered", this.hiddenLabels.has(n.data("type")) && !n.hasClass("root")));
    const { since, until } = this.range;
    const outside = (e) => {
      const day = (e.data("latest") || "").slice(0, 10);
      return Boolean(day) && ((since && day < since) || (until && day > until));
    };
    this.cy.edges().forEach((e) => e.toggleClass("filtered", this.hiddenRels.has(e.data("type")) || outside(e)
      || e.source().hasClass("filtered") || e.target().hasClass("filtered")));
  }

  showPath(path) {
    this.cy.elements().removeClass("on-path");
    for (const key of path.nodes) this.cy.getElementById(key).addClass("on-path").removeClass("filtered");
    for (const e of path.edges) this.cy.getElementById(edgeId(e)).addClass("on-path").removeClass("filtered");
  }

  visible() {
    return { nodes: this.cy.nodes(":visible").filter((n) => n.data("type") !== "More"),
             edges: this.cy.edges(":visible").filter((e) => e.data("type") !== "MORE") };
  }

  png() { return this.cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2 }); }

  graphml() {
    const esc = (s) => String(s ?? "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const { nodes, edges } = this.visible();
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '<key id="type" for="all" attr.name="type" attr.type="string"/>',
      '<key id="name" for="node" attr.name="name" attr.type="string"/>',
      '<key id="role" for="edge" attr.name="role" attr.type="string"/>',
      '<key id="sources" for="edge" attr.name="sources" attr.type="string"/>',
      '<graph id="casegraph" edgedefault="directed">'];
    nodes.forEach((n) => lines.push(`<node id="${esc(n.id())}"><data key="type">${esc(n.data("type"))}</data>`
      + `<data key="name">${esc(n.data("caption"))}</data></node>`));
    edges.forEach((e) => lines.push(`<edge source="${esc(e.data("source"))}" target="${esc(e.data("target"))}">`
      + `<data key="type">${esc(e.data("type"))}</data><data key="role">${esc(e.data("role"))}</data>`
      + `<data key="sources">${esc((e.data("sources") || []).join(" "))}</data></edge>`));
    lines.push("</graph>", "</graphml>");
    return new Blob([lines.join("\n")], { type: "application/graphml+xml" });
  }

  csv() {
    const cell = (s) => `"${String(s ?? "").replace(/"/g, '""')}"`;
    const { nodes, edges } = this.visible();
    const rows = [["kind", "key_or_from", "type", "name_or_to", "role", "sources"].join(",")];
    nodes.forEach((n) => rows.push(["node", n.id(), n.data("type"), n.data("caption"), "", ""].map(cell).join(",")));
    edges.forEach((e) => rows.push(["edge", e.data("source"), e.data("type"), e.data("target"), e.data("role"),
                                    (e.data("sources") || []).join(" ")].map(cell).join(",")));
    return new Blob(["\ufeff" + rows.join("\n")], { type: "text/csv;charset=utf-8" });
  }
}

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url; link.download = filename; document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
