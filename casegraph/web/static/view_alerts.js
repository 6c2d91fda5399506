// Alerts (预警): the unread count in the header, kept live by the alert stream (server-sent events
// over the session cookie), the list with grade and filters, and a ring's 联合处置 records and tasks.
// A hit-only alert carries no content: it is shown with its holders and the access-request button.
import { get, post, query } from "/static/api.js";
import { documentLink, el, entityLink, errorBox, table } from "/static/dom.js";
import { addStrings, t } from "/static/i18n.js";
import { hiddenHit } from "/static/view_search.js";

addStrings({
  "nav.alerts": "预警", "alerts.title": "预警", "alerts.unread": "只看未读", "alerts.grade": "风险等级",
  "alerts.all": "全部", "alerts.read": "标为已读", "alerts.readall": "全部标为已读", "alerts.none": "暂无预警",
  "alerts.filter": "筛选", "alerts.new": "未读", "alerts.done": "已读", "alerts.requests": "查看协查请求",
  "col.grade": "等级", "col.trigger": "事由", "col.entity": "实体", "col.evidence": "依据",
  "trigger.new_document": "他机关新文书提及", "trigger.ring_new": "新团伙", "trigger.ring_changed": "团伙变化",
  "trigger.merged": "实体合并", "trigger.same_person_confirmed": "确认同一", "trigger.same_person_candidate": "疑似同一",
  "trigger.candidate_rejected": "排除同一", "trigger.split": "拆分",
  "joint.title": "联合处置", "joint.none": "暂无联合处置记录", "joint.open": "发起联合处置", "joint.agencies": "参与机关",
  "joint.log": "记录", "joint.tasks": "任务", "task.owner": "负责人", "task.due": "截止日期", "task.state": "状态",
  "task.title": "任务", "task.open": "未完成", "task.done": "已完成", "task.overdue": "已逾期", "task.finish": "标为完成",
}, {
  "nav.alerts": "Alerts", "alerts.title": "Alerts", "alerts.unread": "unread only", "alerts.grade": "Risk grade",
  "alerts.all": "all", "alerts.read": "Mark read", "alerts.readall": "Mark all read", "alerts.none": "No alerts",
  "alerts.filter": "Filter", "alerts.new": "unread", "alerts.done": "read", "alerts.requests": "Access requests",
  "col.grade": "Grade", "col.trigger": "Why", "col.entity": "Entity", "col.evidence": "Evidence",
  "trigger.new_document": "named in another agency's document", "trigger.ring_new": "new ring",
  "trigger.ring_changed": "ring changed", "trigger.merged": "merged", "trigger.same_person_confirmed": "confirmed same",
  "trigger.same_person_candidate": "possibly the same", "trigger.candidate_rejected": "kept apart",
  "trigger.split": "split",
  "joint.title": "Joint handling", "joint.none": "No joint handling yet", "joint.open": "Open a joint handling",
  "joint.agencies": "Agencies", "joint.log": "Log", "joint.tasks": "Tasks", "task.owner": "Owner", "task.due": "Due",
  "task.state": "State", "task.title": "Task", "task.open": "open", "task.done": "done", "task.overdue": "overdue", "task.finish": "Mark done",
});

const GRADES = ["低", "中", "高", "重大"];
let stream = null;
let unread = 0;
// The alerts this page already counted: a stream that (re)connects also sends the last minute's.
const seen = new Set();
const filters = { unread: false, grade: "" };

function showUnread() {
  const badge = document.getElementById("alerts-unread");
  if (badge) { badge.textContent = unread ? String(unread) : ""; badge.dataset.count = String(unread); }
}

/** After sign-in: the unread count, then the stream; each new alert counts and joins an open list. */
export async function startAlerts() {
  stopAlerts();
  try {
    const page = await get(`/v1/alerts${query({ unread: true, limit: 500 })}`);
    page.data.forEach((a) => seen.add(a.id));
    unread = page.count;
  } catch { return; }  // a role without alerts (admin): no count, no stream
  showUnread();
  stream = new EventSource("/v1/alerts/stream", { withCredentials: true });
  stream.addEventListener("alert", (event) => {
    const alert = JSON.parse(event.data);
    if (seen.has(alert.id)) return;
    seen.add(alert.id);
    unread += 1;
    showUnread();
    const list = document.getElementById("alerts-list");
    if (list && matches(alert)) list.prepend(alertRow(alert));
  });
  stream.addEventListener("open", () => { document.body.dataset.alertStream = "open"; });
}

export function stopAlerts() {
  if (stream) stream.close();
  stream = null;
  unread = 0;
  seen.clear();
  showUnread();
}

function matches(alert) {
  return (!filters.grade || alert.grade?.grade === filters.grade) && (!filters.unread || !alert.read);
}

export async function showAlerts() {
  const view = document.getElementById("view");
  const page = await get(`/v1/alerts${query({ unread: filters.unread || null, grade: filters.grade, limit: 200 })}`);
  const onlyUnread = el("input", { type: "checkbox", id: "alerts-only-unread", checked: filters.unread });
  const grade = el("select", { id: "alerts-grade" }, el("option", { value: "" }, t("alerts.all")),
                   GRADES.map((g) => el("option", { value: g, selected: g === filters.grade }, g)));
  const refilter = () => { filters.unread = onlyUnread.checked; filters.grade = grade.value; showAlerts(); };
  onlyUnread.addEventListener("change", refilter);
  grade.addEventListener("change", refilter);
  const readAll = el("button", { type: "button", id: "alerts-read-all" }, t("alerts.readall"));
  readAll.addEventListener("click", async () => {
    const ids = page.data.filter((a) => !a.read).map((a) => a.id);
    if (ids.length) await markRead(ids);
    showAlerts();
  });
  page.data.forEach((a) => seen.add(a.id));
  const list = el("tbody", { id: "alerts-list" }, page.data.map(alertRow));
  view.replaceChildren(el("h2", {}, t("alerts.title")),
    el("p", { class: "panel" }, el("label", {}, onlyUnread, ` ${t("alerts.unread")}`), "  ",
       el("label", {}, `${t("alerts.grade")} `, grade), "  ", readAll, "  ",
       el("a", { href: "#/requests" }, t("alerts.requests"))),
    page.data.length ? null : el("p", { class: "muted", id: "alerts-none" }, t("alerts.none")),
    el("table", { id: "alerts-table" },
       el("thead", {}, el("tr", {}, ["col.time", "col.grade", "col.trigger", "col.entity", "col.evidence", "col.status"]
         .map((h) => el("th", {}, t(h))))),
       list));
}

async function markRead(ids) {
  const done = await post("/v1/alerts/read", { ids });
  unread = Math.max(0, unread - done.marked);
  showUnread();
}

function alertRow(alert) {
  const state = el("td", { class: "alert-state" });
  const row = el("tr", { class: `alert ${alert.read ? "read" : "unread"}`, "data-alert": alert.id,
                         "data-visible": alert.visible ? "1" : "0" },
    el("td", {}, alert.at.slice(0, 19).replace("T", " ")),
    el("td", { class: "alert-grade" }, alert.grade?.grade || ""),
    el("td", {}, t(`trigger.${alert.trigger}`)),
    el("td", {}, alert.entity.key ? entityLink(alert.entity.key) : ""),
    el("td", {}, alert.visible ? evidence(alert)
      : hiddenHit(alert, alert.entity.key ? { key: alert.entity.key } : { name: "ring" })),
    state);
  if (alert.read) state.textContent = t("alerts.done");
  else {
    const button = el("button", { type: "button", class: "alert-read" }, t("alerts.read"));
    button.addEventListener("click", async () => {
      try {
        await markRead([alert.id]);
        row.classList.replace("unread", "read");
        state.replaceChildren(t("alerts.done"));
      } catch (error) { state.append(errorBox(error)); }
    });
    state.append(el("span", { class: "muted" }, t("alerts.new")), " ", button);
  }
  return row;
}

/** What a visible alert may show: its document and cases, its ring, the other node of a pair. */
function evidence(alert) {
  const parts = [];
  if (alert.document) parts.push(documentLink(alert.document.key, `${alert.document.agency} · ${alert.document.kind}`));
  if (alert.cases?.length) parts.push(` ${alert.cases.map((c) => c.number).join("、")}`);
  if (alert.ring) parts.push(el("a", { href: `#/ring/${encodeURIComponent(alert.ring.id)}` }, alert.ring.id));
  if (alert.other) parts.push(" ↔ ", entityLink(alert.other));
  return el("span", { class: "alert-evidence" }, parts);
}

/** A ring's 联合处置 records its agency is in, with their tasks; a record is opened from here. */
export async function jointPanel(ringId) {
  const box = el("div", { class: "panel", id: "joint-panel" });
  const fill = async () => {
    const [records, tasks] = await Promise.all([get(`/v1/joint-handlings${query({ ring: ringId })}`),
                                                get(`/v1/joint-tasks${query({ ring: ringId })}`)]);
    const open = el("button", { type: "button", id: "joint-open" }, t("joint.open"));
    open.addEventListener("click", async () => {
      try { await post("/v1/joint-handlings", { ring: ringId }); await fill(); } catch (error) { box.append(errorBox(error)); }
    });
    box.replaceChildren(el("h3", {}, t("joint.title")),
      ...(records.data.length ? records.data.map((j) => jointRecord(j, tasks.data.filter((k) => k.joint === j.id), fill))
        : [el("p", { class: "muted" }, t("joint.none"), " ", open)]));
  };
  try {
    await fill();
  } catch (error) {
    if (error.status === 403) return null;  // a role that may not take part: no panel
    box.append(errorBox(error));
  }
  return box;
}

function jointRecord(joint, tasks, refresh) {
  return el("div", { class: "joint", "data-joint": joint.id },
    el("p", {}, `${joint.id} · ${t("joint.agencies")}: ${joint.agencies.join("、")}`),
    el("ul", { class: "joint-log" }, joint.log.map((e) => el("li", {},
      `${e.at.slice(0, 16).replace("T", " ")} ${e.agency}/${e.user} ${e.action}${e.note ? `：${e.note}` : ""}`))),
    el("h4", {}, t("joint.tasks")),
    table(["task.title", "task.owner", "task.due", "task.state", "col.action"], tasks.map((task) => [
      task.title, `${task.owner} (${task.owner_agency})`, task.due,
      el("span", { class: `task-state ${task.overdue ? "overdue" : task.state}`, "data-task": task.id },
         task.overdue ? t("task.overdue") : t(`task.${task.state}`)),
      task.state === "open" ? finishButton(task, refresh) : ""])));
}

function finishButton(task, refresh) {
  const button = el("button", { type: "button", class: "task-finish", "data-task": task.id }, t("task.finish"));
  button.addEventListener("click", async () => {
    try { await post(`/v1/joint-tasks/${encodeURIComponent(task.id)}/state`, { state: "done" }); await refresh(); }
    catch (error) { button.after(errorBox(error)); }
  });
  return button;
}
