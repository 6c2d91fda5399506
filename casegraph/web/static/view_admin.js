// Administration: the agency's users and its audit log with filters.
import { get, query } from "/static/api.js";
import { el, errorBox, table } from "/static/dom.js";
import { t } from "/static/i18n.js";

export async function showAdmin() {
  const view = document.getElementById("view");
  const users = await get("/v1/users").catch((error) => error);
  const filters = { user: el("input", { name: "user", size: 14, placeholder: t("col.user") }),
                    action: el("input", { name: "action", size: 14, placeholder: t("col.action") }),
                    since: el("input", { name: "since", type: "datetime-local", "aria-label": t("admin.since") }),
                    until: el("input", { name: "until", type: "datetime-local", "aria-label": t("admin.until") }) };
  const log = el("div", { id: "audit-log" });
  const load = async () => {
    const params = Object.fromEntries(Object.entries(filters).map(([k, input]) => [k, input.value
      && (input.type === "datetime-local" ? new Date(input.value).toISOString() : input.value)]));
    try {
      const page = await get(`/v1/audit${query({ ...params, limit: 200 })}`);
      log.replaceChildren(table(["col.time", "col.user", "col.role", "col.action", "col.purpose", "col.status", "col.key"],
        page.data.map((e) => [e.at, e.user, e.role, `${e.method} ${e.path}`, e.purpose || "", String(e.status),
                              e.returned.slice(0, 5).join(" ")]).reverse()));
    } catch (error) { log.replaceChildren(errorBox(error)); }
  };
  const form = el("form", { id: "audit-form", onsubmit: (event) => { event.preventDefault(); load(); } },
    ...Object.values(filters), " ", el("button", { type: "submit" }, t("admin.filter")));
  view.replaceChildren(el("h2", {}, t("admin.users")),
    users instanceof Error ? errorBox(users) : table(["col.user", "col.role", "col.time", "col.status"],
      users.data.map((u) => [u.name, u.role, u.created_at || "", u.revoked_at ? `revoked ${u.revoked_at}` : "active"])),
    el("h2", {}, t("admin.audit")), form, log);
  await load();
}
