// One search box: an identifier in any spelling goes to /v1/lookup, anything else is a name.
import { get, post, query, workingCase } from "/static/api.js";
import { el, entityLink, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";

const IDENTIFIER = /^[+\d\s\-()xX]{8,}$/;

export async function showSearch(text) {
  const view = document.getElementById("view");
  const input = el("input", { id: "search-input", type: "search", value: text, size: 60,
                              placeholder: t("search.placeholder") });
  const form = el("form", { id: "search-form", onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/search/${encodeURIComponent(input.value.trim())}`;
  } }, input, " ", el("button", { type: "submit" }, t("search.submit")));
  const results = el("div", { id: "search-results" });
  view.replaceChildren(form, results);
  input.focus();
  if (!text) return;
  try {
    results.replaceChildren(...await answer(text));
  } catch (error) {
    if (error.status === 401) throw error;
    results.replaceChildren(error.status === 404 ? el("p", { class: "muted" }, t("search.none")) : errorBox(error));
  }
  results.dataset.done = "1";
}

async function answer(text) {
  if (IDENTIFIER.test(text)) {
    const found = await get(`/v1/lookup${query({ identifier: text })}`);
    if (!found.visible) return [hiddenHit(found, { identifier: text })];
    return [resultTable([{ key: found.key, label: found.label, name: found.properties.name || found.properties.number,
                           regions: found.properties.regions || [], agencies: found.agencies,
                           cases: found.cases.length }])];
  }
  const found = await get(`/v1/names${query({ q: text })}`);
  const parts = [];
  if (found.results.length) parts.push(resultTable(found.results));
  if (found.hidden) parts.push(hiddenHit(found.hidden, { name: text }));
  if (!parts.length) parts.push(el("p", { class: "muted" }, t("search.none")));
  return parts;
}

function resultTable(rows) {
  return table(["col.type", "col.name", "col.key", "col.regions", "col.agencies", "col.cases"],
    rows.map((r) => [r.label, entityLink(r.key, r.name || r.key), r.key, (r.regions || []).join(" "),
                     (r.agencies || []).join(" "), String(r.cases ?? "")]));
}

/** What a hit without visibility may show: who holds it, and a button to ask each holder. */
export function hiddenHit(hit, target) {
  const box = el("div", { class: "hidden-hit", id: "hidden-hit" }, el("p", {}, t("hidden.title")));
  for (const holder of hit.holders) {
    if (target.name) {  // a name tells no key to ask about: the holders only
      box.append(el("p", {}, `${holder.agency} · ${t("col.cases")} ${holder.cases}`));
      continue;
    }
    const button = el("button", { type: "button", "data-holder": holder.agency }, t("hidden.request"));
    button.addEventListener("click", async () => {
      try {
        await post("/v1/access-requests", { ...target, holder: holder.agency, purpose: workingCase() });
        button.replaceWith(el("span", { class: "requested" }, t("hidden.requested")));
      } catch (error) {
        button.after(errorBox(error));
      }
    });
    box.append(el("p", {}, `${holder.agency} · ${t("col.cases")} ${holder.cases} `, button));
  }
  return box;
}
