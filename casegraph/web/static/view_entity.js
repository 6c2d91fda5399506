// The entity page: identifiers, cases across agencies, source documents, and the link chart.
import { get, query } from "/static/api.js";
import { LinkChart, NODE_TYPES, REL_TYPES, chartQuery, download } from "/static/chart.js";
import { documentLink, el, entityLink, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";
import { hiddenHit } from "/static/view_search.js";

const IDENTIFYING = ["name", "ric", "uscc", "number", "bank", "birth_date", "gender", "regions", "aliases", "text", "kind"];

export async function showEntity(key, depth = 1) {
  const view = document.getElementById("view");
  // The chart's first page is asked for beside the entity, not after it: the two answers overlap.
  const firstPage = neighbours(key, { depth, limit: FIRST_PAGE, ...chartQuery() });
  firstPage.catch(() => {});  // awaited by drawChart; a hidden entity never draws one
  const entity = await get(`/v1/entities/${encodeURIComponent(key)}`);
  if (!entity.visible) {
    view.replaceChildren(el("h2", {}, key), hiddenHit(entity, { key }));
    return;
  }
  const props = entity.properties;
  const title = el("h2", { id: "entity-title" }, `${entity.label} · ${props.name || props.number || props.text || entity.key}`);
  const identifiers = table(["col.key", "col.name"], IDENTIFYING.filter((p) => props[p] !== undefined && String(props[p]) !== "")
    .map((p) => [p, Array.isArray(props[p]) ? props[p].join("、") : String(props[p])]));
  const cases = table(["col.case", "col.agency", "col.kind"], entity.cases.map((c) => [
    el("a", { href: `#/bundles/${encodeURIComponent(c.key)}` }, c.number), c.agency, c.kind || ""]));
  const documents = table(["col.document", "col.agency", "col.kind"], entity.documents.map((d) => [
    documentLink(d.key, d.filename, entity.key), d.agency, d.kind || ""]));
  const chartBox = el("div", { id: "chart" });
  const timeline = el("ol", { id: "timeline" }, stages(entity).map((d) => el("li", {},
    `${t(`stage.${stageOf(d.kind)}`)} · ${d.agency} · `, documentLink(d.key, d.filename, entity.key))));
  const side = el("div", { id: "chart-side", class: "panel" }, el("p", { class: "muted" }, t("chart.hint")));
  view.replaceChildren(title,
    el("div", { class: "row" },
       el("div", {}, el("h3", {}, t("entity.identifiers")), identifiers),
       el("div", {}, el("h3", {}, t("entity.cases")), cases),
       el("div", {}, el("h3", {}, t("entity.documents")), documents),
       el("div", {}, el("h3", {}, t("timeline.title")), timeline)),
    el("h3", {}, t("entity.chart")), chartControls(entity.key, depth), chartBox, side);
  await drawChart(entity.key, chartBox, side, depth, firstPage);
}

// A matter's course across agencies: the regulator's findings, the police filing and recommendation,
// the indictment, the judgment. Documents carry their kind; those of one stage keep their order.
const STAGES = [["regulator", ["risk_alert", "str_report", "penalty_decision"]],
                ["police", ["filing_decision", "prosecution_recommendation"]],
                ["procuratorate", ["indictment"]], ["court", ["judgment"]]];

function stageOf(kind) {
  return (STAGES.find(([, kinds]) => kinds.includes(kind)) || ["other"])[0];
}

function stages(entity) {
  const rank = (kind) => {
    const flat = STAGES.flatMap(([, kinds]) => kinds);
    return flat.includes(kind) ? flat.indexOf(kind) : flat.length;
  };
  return [...entity.documents].sort((a, b) => rank(a.kind) - rank(b.kind));
}

let chart = null;

// A page of each relation type around a node, filtered on the server as the chart filters (a hub's
// 50,000 transfers never travel); the rest waits behind its "+N more" node.
const FIRST_PAGE = 300;
const NEXT_PAGE = 100;
// Past this many nodes a click fetches no more (the server's own bound on one answer): a chart of
// more is not read by anyone, and each page of a hub's "+N more" would keep growing the tab.
const MAX_DRAWN = 2000;

const neighbours = (key, params) => get(`/v1/entities/${encodeURIComponent(key)}/neighbors${query(params)}`);

async function expand(key, depth = 1, limit = FIRST_PAGE, answer = null) {
  const hood = await (answer || neighbours(key, { depth, limit, ...chart.query() }));
  if (!hood.visible) return 0;
  return chart.add(hood, key);
}

async function expandMore(moreId) {
  const node = chart.cy.getElementById(moreId);
  const origin = node.data("origin");
  const hood = await get(`/v1/entities/${encodeURIComponent(origin)}/neighbors${query({ cursor: node.data("cursor"),
                                                                                          limit: NEXT_PAGE })}`);
  return chart.add({ ...hood, key: origin, moreOf: node.data("relType") }, origin);
}

// The root and the nodes expanded so far, asked again when a filter lets more through.
const expanded = new Set();

async function refetch() {
  for (const key of expanded) await expand(key, key === [...expanded][0] ? Number(depthOf()) : 1);
}

function depthOf() { return document.getElementById("chart-depth")?.value || "1"; }

async function drawChart(key, box, side, depth, firstPage) {
  chart?.cy.destroy();  // the previous entity's chart: its elements and listeners go with it
  chart = new LinkChart(box, {
    sameLabel: t("chart.same"),
    onNodeTap: async (nodeKey) => {
      if (chart.cy.nodes().length >= MAX_DRAWN) {
        const target = chart.isMore(nodeKey) ? chart.cy.getElementById(nodeKey).data("origin") : nodeKey;
        side.replaceChildren(el("p", { id: "chart-full" }, t("chart.full")), entityLink(target, t("chart.open")));
        return;
      }
      if (chart.isMore(nodeKey)) {
        side.replaceChildren(el("p", {}, chart.cy.getElementById(nodeKey).data("caption")));
        try { await expandMore(nodeKey); } catch (error) { side.append(errorBox(error)); }
      } else {
        side.replaceChildren(el("p", {}, entityLink(nodeKey, `${t("chart.open")}: ${nodeKey}`)));
        expanded.add(nodeKey);
        try { await expand(nodeKey); } catch (error) { side.append(errorBox(error)); }
      }
      box.dataset.nodes = String(chart.cy.nodes().length);
      box.dataset.expanded = String(Number(box.dataset.expanded || 0) + 1);
    },
    onEdgeTap: (edge) => {
      side.replaceChildren(el("h4", {}, `${edge.type} ${edge.role || ""}`), el("p", {}, t("chart.sources")),
        el("ul", {}, (edge.sources || []).map((s) => el("li", {}, documentLink(s, s, edge.source)))));
    },
  });
  box.chart = chart;  // the element's handle on its chart: the browser tests find nodes' screen positions
  expanded.clear();
  expanded.add(key);
  await expand(key, depth, FIRST_PAGE, firstPage);
  chart.markRoot(key);
  box.dataset.nodes = String(chart.cy.nodes().length);
  box.dataset.ready = "1";
  document.getElementById("path-from").value = key;
}

function chartControls(key, depth) {
  const depths = el("select", { id: "chart-depth", onchange: (event) => {
    location.hash = `#/entity/${encodeURIComponent(key)}/${event.target.value}`;
  } }, [1, 2, 3].map((d) => el("option", { value: d, selected: d === depth }, String(d))));
  const labels = el("fieldset", { id: "filter-labels" }, el("legend", {}, t("chart.nodes")),
    NODE_TYPES.map((name) => checkbox("label", name, name !== "Document")));
  const rels = el("fieldset", { id: "filter-rels" }, el("legend", {}, t("chart.rels")),
    REL_TYPES.map((name) => checkbox("rel", name, name !== "MENTIONED_IN")));
  const since = el("input", { type: "date", id: "filter-since" });
  const until = el("input", { type: "date", id: "filter-until" });
  const range = el("fieldset", { id: "filter-dates", onchange: () => {
    chart?.setRange(since.value, until.value);
    refetch().catch(() => {});
  } }, el("legend", {}, t("chart.dates")), since, " – ", until);
  const from = el("input", { id: "path-from", size: 24 });
  const to = el("input", { id: "path-to", size: 24, placeholder: t("chart.path.to") });
  const pathResult = el("span", { id: "path-result" });
  const paths = el("form", { id: "path-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const found = await get(`/v1/paths${query({ from: from.value.trim(), to: to.value.trim() })}`);
      if (!found.paths.length) { pathResult.textContent = t("chart.path.none"); return; }
      for (const path of found.paths) chart.add({ key: path.nodes[0].key, label: path.nodes[0].label,
                                                  neighbors: path.nodes, edges: path.edges }, from.value.trim());
      chart.showPath({ nodes: found.paths.flatMap((p) => p.nodes.map((n) => n.key)),
                       edges: found.paths.flatMap((p) => p.edges) });
      pathResult.textContent = `${found.paths.length} × ${found.paths[0].edges.length}`;
    } catch (error) { pathResult.replaceChildren(errorBox(error)); }
  } }, el("strong", {}, t("chart.paths")), " ", from, " → ", to, " ",
  el("button", { type: "submit" }, t("chart.path.find")), " ", pathResult);
  const exports = el("div", { id: "exports" }, el("strong", {}, t("chart.export")), " ",
    el("button", { type: "button", id: "export-png", onclick: () => download(chart.png(), "casegraph-chart.png") }, "PNG"),
    el("button", { type: "button", id: "export-graphml", onclick: () => download(chart.graphml(), "casegraph-chart.graphml") },
       "GraphML"),
    el("button", { type: "button", id: "export-csv", onclick: () => download(chart.csv(), "casegraph-chart.csv") }, "CSV"));
  return el("details", { class: "panel", open: true }, el("summary", {}, t("chart.filters")),
            el("label", {}, `${t("chart.depth")} `, depths), labels, rels, range, paths, exports);
}

function checkbox(kind, name, checked) {
  const box = el("input", { type: "checkbox", checked, "data-filter": name,
                            onchange: (event) => {
                              chart?.setFilter(kind, name, event.target.checked);
                              if (event.target.checked) refetch().catch(() => {});  // now let through: fetch it
                            } });
  return el("label", {}, box, name, " ");
}
