// The document view: the source text with every mention highlighted and linked to its entity;
// a focus entity (from a fact or an entity page) is marked and scrolled to. Ledgers show their rows.
import { get } from "/static/api.js";
import { el, entityLink, table } from "/static/dom.js";
import { t } from "/static/i18n.js";

export async function showDocument(key, focus) {
  const view = document.getElementById("view");
  const doc = await get(`/v1/documents/${encodeURIComponent(key)}`);
  const head = el("div", {}, el("h2", { id: "doc-title" }, `${t("doc.title")} · ${doc.filename || doc.key}`),
    el("p", { class: "muted" }, `${doc.agency} · ${doc.kind || ""} · ${doc.sharing || ""}`,
       doc.case ? ` · ${t("doc.case")} ${doc.case.number}` : ""));
  const parts = [head];
  if (doc.text) parts.push(renderText(doc, focus));
  if (doc.transfers.length) {
    parts.push(table(["col.key", "col.key", "col.money", "col.time", "col.key"], doc.transfers.map((row, i) => [
      entityLink(row.from), entityLink(row.to), String(row.amount ?? ""), row.at || "", row.tx_id || `#${i + 1}`])));
  }
  view.replaceChildren(...parts);
  const first = view.querySelector("mark.focus");
  if (first) first.scrollIntoView({ block: "center" });
}

function renderText(doc, focus) {
  const text = doc.text;
  const box = el("div", { class: "doc-text", id: "doc-text" });
  const pageAt = new Map(doc.pages.map((start, i) => [start, i + 1]));
  let at = 0;
  const mentions = doc.mentions.filter((m) => m.start >= 0 && m.end <= text.length).sort((a, b) => a.start - b.start);
  const pageBreaks = [...pageAt.keys()].sort((a, b) => a - b);
  const plain = (from, to) => {  // text between mentions, with a page marker where a page starts
    for (const start of pageBreaks) {
      if (start < from || start >= to || doc.pages.length < 2) continue;
      box.append(text.slice(from, start), el("div", { class: "muted page" }, t("doc.page", { n: pageAt.get(start) })));
      from = start;
    }
    box.append(text.slice(from, to));
  };
  for (const m of mentions) {
    if (m.start < at) continue;  // overlapping spans: the first wins
    plain(at, m.start);
    const link = entityLink(m.key, text.slice(m.start, m.end));
    box.append(el("mark", { class: m.key === focus ? "focus" : null, title: `${m.label} ${m.key}` }, link));
    at = m.end;
  }
  plain(at, text.length);
  return box;
}
