// The workbench's shell: sign-in, the working case, the language switch and the hash router.
import { ApiError, call, setSession, setWorkingCase, workingCase } from "/static/api.js";
import { el, errorBox, status } from "/static/dom.js";
import { switchLanguage, t, translate } from "/static/i18n.js";
import { showAdmin } from "/static/view_admin.js";
import { showAlerts, startAlerts, stopAlerts } from "/static/view_alerts.js";
import { showBundles } from "/static/view_bundles.js";
import { showDocument } from "/static/view_document.js";
import { showEntity } from "/static/view_entity.js";
import { showRequests } from "/static/view_requests.js";
import { showRing, showRings } from "/static/view_rings.js";
import { showSearch } from "/static/view_search.js";

const ROUTES = [
  [/^#\/entity\/([^/]+)(?:\/([123]))?$/, (m) => showEntity(decodeURIComponent(m[1]), Number(m[2] || 1))],
  [/^#\/doc\/([^/]+)(?:\/([^/]+))?$/, (m) => showDocument(decodeURIComponent(m[1]), m[2] && decodeURIComponent(m[2]))],
  [/^#\/rings$/, () => showRings()],
  [/^#\/ring\/([^/]+)$/, (m) => showRing(decodeURIComponent(m[1]))],
  [/^#\/requests$/, () => showRequests()],
  [/^#\/bundles(?:\/([^/]+))?$/, (m) => showBundles(m[1] && decodeURIComponent(m[1]))],
  [/^#\/admin$/, () => showAdmin()],
  [/^#\/alerts$/, () => showAlerts()],
  [/^#\/search(?:\/(.*))?$/, (m) => showSearch(m[1] ? decodeURIComponent(m[1]) : "")],
];

let me = null;

function signedIn(view) {
  me = view;
  setSession(view);
  document.getElementById("signin-view").hidden = true;
  document.getElementById("top").hidden = false;
  document.getElementById("who").textContent = `${view.user} · ${view.agency} · ${view.role}`;
  document.getElementById("case-input").value = workingCase();
  startAlerts();
  route();
}

function signedOut(message) {
  me = null;
  setSession(null);
  stopAlerts();
  document.getElementById("top").hidden = true;
  document.getElementById("view").replaceChildren();
  document.getElementById("signin-view").hidden = false;
  document.getElementById("signin-error").textContent = message || "";
}

export function currentUser() { return me; }

async function route() {
  if (!me) return;
  // A fresh element per route: a slow answer of the route before lands in a detached element
  // instead of drawing over this one (every view takes #view before its first await).
  const view = el("section", { id: "view" });
  document.getElementById("view").replaceWith(view);
  if (!workingCase()) {
    view.replaceChildren(el("p", { class: "hidden-hit", id: "case-needed" }, t("case.needed")));
    document.getElementById("case-input").focus();
    return;
  }
  const hash = location.hash || "#/search";
  status(t("status.loading"));
  try {
    for (const [pattern, show] of ROUTES) {
      const match = hash.match(pattern);
      if (match) { await show(match); break; }
    }
    status(t("status.ready"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { signedOut(t("error.session")); return; }
    view.replaceChildren(errorBox(error));
    status("");
  }
}

function wire() {
  translate();
  document.getElementById("lang").textContent = t("lang.switch");
  document.getElementById("lang").addEventListener("click", () => {
    switchLanguage();
    translate();
    document.getElementById("lang").textContent = t("lang.switch");
    route();
  });
  document.getElementById("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("key-input");
    const key = input.value;
    input.value = "";  // the key leaves the page with this one request and is kept nowhere here
    try {
      signedIn(await call("POST", "/web/session", { key }));
    } catch (error) {
      signedOut(error.message);
    }
  });
  document.getElementById("signout").addEventListener("click", async () => {
    await call("DELETE", "/web/session").catch(() => null);
    signedOut("");
  });
  document.getElementById("case-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setWorkingCase(document.getElementById("case-input").value);
    route();
  });
  window.addEventListener("hashchange", route);
}

wire();
call("GET", "/web/session").then(signedIn, () => signedOut(""));
