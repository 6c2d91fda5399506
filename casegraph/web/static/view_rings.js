// Rings: the list, and each ring as a chart of its members, with their reasons and a review.
import { get, post, query } from "/static/api.js";
import { LinkChart } from "/static/chart.js";
import { documentLink, el, entityLink, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";
import { jointPanel } from "/static/view_alerts.js";

export async function showRings() {
  const view = document.getElementById("view");
  const page = await get(`/v1/rings${query({ limit: 100 })}`);
  if (!page.rings.length) {
    view.replaceChildren(el("h2", {}, t("rings.title")), el("p", { class: "muted" }, t("rings.none")));
    return;
  }
  view.replaceChildren(el("h2", {}, t("rings.title")), table(
    ["col.key", "col.score", "col.typologies", "col.regions", "col.agencies", "col.money", "col.members", "col.status"],
    page.rings.map((r) => [el("a", { href: `#/ring/${encodeURIComponent(r.id)}`, class: "ring-link" }, r.id),
      String(r.score), r.typologies.join("、"), r.regions.join(" "), r.agencies.join(" "), String(r.total_amount ?? ""),
      String(r.visible_members), r.status || ""])));
}

export async function showRing(id) {
  const view = document.getElementById("view");
  const ring = await get(`/v1/rings/${encodeURIComponent(id)}`);
  const box = el("div", { id: "chart" });
  const members = table(["col.type", "col.name", "col.why", "col.sources", "col.status"], ring.members.map((m, i) => [
    m.type, entityLink(m.key, [...new Set([m.name, m.identifier].filter(Boolean))].join(" · ") || m.key),
    el("ul", {}, m.why.map((w) => el("li", {}, w.more ? `+${w.more}` : describe(w)))),
    el("ul", {}, m.sources.map((s) => el("li", {}, documentLink(s, s.slice(0, 16), m.key)))), memberReview(id, i)]));
  const note = el("textarea", { id: "review-note", rows: 2, cols: 50, placeholder: t("ring.note") });
  const outcome = el("span", { id: "review-outcome" });
  const review = (status) => async () => {
    try {
      await post(`/v1/rings/${encodeURIComponent(id)}/review`, { status, note: note.value || null });
      outcome.textContent = `${t("ring.reviewed")}: ${status}`;
    } catch (error) { outcome.replaceChildren(errorBox(error)); }
  };
  view.replaceChildren(
    el("h2", { id: "ring-title" }, `${t("ring.title")} ${ring.id} · ${t("col.score")} ${ring.score}`),
    el("p", {}, `${ring.typologies.join("、")} · ${ring.regions.join(" ")} · ${ring.agencies.join(" ")} · `
                + `${t("col.money")} ${ring.total_amount ?? ""}`),
    box,
    el("div", { class: "panel" }, note, " ",
       el("button", { type: "button", id: "ring-confirm", onclick: review("confirmed") }, t("ring.confirm")), " ",
       el("button", { type: "button", id: "ring-dismiss", onclick: review("dismissed") }, t("ring.dismiss")), " ", outcome),
    el("h3", {}, t("ring.members")), members, await jointPanel(id));
  drawRing(box, ring);
}

function memberReview(ringId, position) {
  const note = el("input", { size: 14, placeholder: t("ring.note") });
  const box = el("span", { class: "member-review", "data-position": position });
  const decide = (status) => async () => {
    try {
      const verdict = await post(`/v1/rings/${encodeURIComponent(ringId)}/members/${position}/review`,
                                 { status, note: note.value || null });
      box.replaceChildren(el("span", { class: "member-verdict" }, `${t("ring.reviewed")}: ${verdict.status}`));
    } catch (error) { box.append(errorBox(error)); }
  };
  box.append(note, " ", el("button", { type: "button", class: "member-confirm", onclick: decide("confirmed") },
                           t("ring.confirm")),
             " ", el("button", { type: "button", class: "member-dismiss", onclick: decide("dismissed") }, t("ring.dismiss")));
  return box;
}

function describe(reason) {
  const arrow = reason.direction === "in" ? "←" : "→";
  return [`${reason.typology} · ${reason.edge} ${arrow} `, reason.other ? entityLink(otherKey(reason.other), reason.other) : "",
          reason.tx_ids?.length ? ` (${reason.tx_ids.length} tx)` : ""];
}

/** A reason's other end as a node key: account numbers come bare, other entities keyed. */
function otherKey(other) { return /^\d+$/.test(other) ? `acct:${other}` : other; }

/** Members as nodes, and the facts their reasons name; transfers numbered in time order (by ledger
 *  transaction id, which the ledgers write as a timestamp). */
export function ringElements(ring) {
  const names = new Map(ring.members.map((m) => [m.key, m]));
  const edges = new Map();
  for (const m of ring.members) {
    for (const w of m.why) {
      if (!w.other || !w.edge) continue;
      const other = otherKey(w.other);
      const [from, to] = w.direction === "in" ? [other, m.key] : [m.key, other];
      const id = `${w.edge}|${from}|${to}`;
      const known = edges.get(id);
      const txs = [...new Set([...(known?.txs || []), ...(w.tx_ids || [])])].sort();
      edges.set(id, { type: w.edge, from, to, role: w.typology, sources: [...new Set([...(known?.sources || []),
                                                                                     ...w.sources])], txs });
    }
  }
  const flow = [...edges.values()].filter((e) => e.txs.length).sort((a, b) => a.txs[0].localeCompare(b.txs[0]));
  flow.forEach((e, i) => { e.role = `${i + 1}. ${e.txs[0].slice(0, 8)} ×${e.txs.length}`; });
  const keys = new Set([...names.keys()]);
  for (const e of edges.values()) { keys.add(e.from); keys.add(e.to); }
  const first = ring.members[0];
  return { key: first.key, label: first.type, name: first.name,
           neighbors: [...keys].filter((k) => k !== first.key).map((k) => ({
             key: k, label: names.get(k)?.type || (k.startsWith("acct:") ? "Account" : "Organization"),
             name: names.get(k)?.name || k, distance: names.has(k) ? 1 : 2 })),
           edges: [...edges.values()] };
}

function drawRing(box, ring) {
  const chart = new LinkChart(box, { sameLabel: t("chart.same") });
  chart.hiddenLabels.clear(); chart.hiddenRels.clear();
  box.chart = chart;
  chart.add(ringElements(ring));
  box.dataset.nodes = String(chart.cy.nodes().length);
  box.dataset.ready = "1";
}
