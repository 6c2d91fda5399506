// Case-assist bundles: ask for one for a case, read its parties, download its JSON (and a large
// case's zip when its job is done).
import { get, post, workingCase } from "/static/api.js";
import { download } from "/static/chart.js";
import { el, entityLink, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";

export async function showBundles(caseKey) {
  const view = document.getElementById("view");
  const input = el("input", { id: "bundle-case", size: 50, value: caseKey || "", placeholder: t("bundles.case") });
  const result = el("div", { id: "bundle-result" });
  const form = el("form", { id: "bundle-form", onsubmit: async (event) => {
    event.preventDefault();
    result.replaceChildren(el("p", { class: "muted" }, t("status.loading")));
    try {
      result.replaceChildren(...await request(input.value.trim()));
    } catch (error) { result.replaceChildren(errorBox(error)); }
  } }, input, " ", el("button", { type: "submit" }, t("bundles.request")));
  view.replaceChildren(el("h2", {}, t("bundles.title")), form, result);
}

async function request(caseKey) {
  const answer = await post(`/v1/cases/${encodeURIComponent(caseKey)}/bundles`, { purpose: workingCase() });
  if (answer.kind === "bundle" && answer.status) return [jobView(answer)];
  const json = new Blob([JSON.stringify(answer, null, 2)], { type: "application/json" });
  const parties = answer.parties?.items || [];
  return [
    el("h3", { id: "bundle-title" }, `${answer.case?.number || caseKey}`),
    el("button", { type: "button", id: "bundle-json", onclick: () => download(json, "bundle.json") }, t("bundles.json")),
    ...["html", "pdf", "zip"].map((format) => el("button", { type: "button", id: `bundle-${format}`, onclick: async () => {
      const file = await post(`/v1/cases/${encodeURIComponent(caseKey)}/bundle-files`, { purpose: workingCase(), format });
      download(file, format === "zip" ? "bundle.zip" : `bundle.${format}`);
    } }, format.toUpperCase())),
    el("h4", {}, `${t("bundles.parties")} (${answer.parties?.total ?? parties.length})`),
    table(["col.name", "col.key", "col.role", "col.regions"], parties.map((p) => [
      entityLink(p.key, p.name || p.key), p.key, (p.roles || []).join("、"), (p.regions || []).join(" ")])),
  ];
}

function jobView(job) {
  const box = el("div", { id: "bundle-job" }, el("p", {}, `${t("bundles.job")}: ${job.id} · ${job.status}`));
  const poll = async () => {
    const now = await get(`/v1/bundles/jobs/${encodeURIComponent(job.id)}`);
    box.firstChild.textContent = `${t("bundles.job")}: ${now.id} · ${now.status}`;
    if (now.status === "succeeded") {
      box.append(el("button", { type: "button", onclick: async () => download(
        await get(`/v1/bundles/jobs/${encodeURIComponent(job.id)}/zip`), "bundle.zip") }, t("bundles.zip")));
    } else if (now.status === "queued" || now.status === "running") setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
  return box;
}
