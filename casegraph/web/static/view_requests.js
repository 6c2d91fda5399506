// Access requests: those the agency made and those it received, approved or denied with days.
import { get, post } from "/static/api.js";
import { el, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";
import { currentUser } from "/static/app.js";

export async function showRequests() {
  const view = document.getElementById("view");
  const page = await get("/v1/access-requests");
  const agency = currentUser().agency;
  const made = page.data.filter((r) => r.requester_agency === agency);
  const received = page.data.filter((r) => r.holder_agency === agency);
  view.replaceChildren(el("h2", {}, t("requests.title")),
    el("h3", {}, t("requests.made")), requestTable(made, false),
    el("h3", {}, t("requests.received")), requestTable(received, true));
}

function requestTable(rows, decide) {
  return table(["col.time", "col.requester", "col.holder", "col.key", "col.purpose", "col.status", "col.action"],
    rows.map((r) => [r.created_at, `${r.requester} (${r.requester_agency})`, r.holder_agency,
                     r.entity_key || r.query, r.purpose,
                     `${r.status}${r.expires_at ? ` → ${r.expires_at}` : ""}${r.note ? ` · ${r.note}` : ""}`,
                     decide && r.status === "pending" ? decision(r) : ""]));
}

function decision(request) {
  const days = el("input", { type: "number", min: 1, max: 365, value: 30, size: 4, "aria-label": t("requests.days") });
  const note = el("input", { size: 16, placeholder: t("col.note") });
  const box = el("span", { class: "decision", "data-request": request.id });
  const decide = (verb) => async () => {
    try {
      await post(`/v1/access-requests/${encodeURIComponent(request.id)}/${verb}`,
                 { days: Number(days.value), note: note.value || null });
      await showRequests();
    } catch (error) { box.append(errorBox(error)); }
  };
  box.append(days, ` ${t("requests.days")} `, note, " ",
    el("button", { type: "button", class: "approve", onclick: decide("approve") }, t("requests.approve")), " ",
    el("button", { type: "button", class: "deny", onclick: decide("deny") }, t("requests.deny")));
  return box;
}
