// Every call goes through the session cookie (HttpOnly: this script never sees a key), states the
// working case in X-Purpose, and echoes the CSRF token on changes.
let csrf = null;
let purpose = sessionStorage.getItem("cg.case") || "";

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export function setSession(view) { csrf = view ? view.csrf : null; }
export function workingCase() { return purpose; }
export function setWorkingCase(text) { purpose = text.trim(); sessionStorage.setItem("cg.case", purpose); }

// A call the server shed (503 `overloaded`) did no work there, so it is repeated after its
// Retry-After, whatever its method, a few times with jitter before the error reaches the page.
const SHED_RETRIES = 3;

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function send(method, path, headers, body) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { method, headers, credentials: "same-origin",
                                         body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status !== 503 || attempt >= SHED_RETRIES) return response;
    const data = await response.clone().json().catch(() => null);
    if (!data || !data.error || data.error.code !== "overloaded") return response;
    const seconds = Number(data.error.retry_after_s || response.headers.get("retry-after") || 1);
    await sleep(seconds * 1000 * (0.5 + Math.random()));
  }
}

export async function call(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (purpose) headers["X-Purpose"] = encodeURIComponent(purpose);
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await send(method, path, headers, body);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.blob();
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || String(response.status), error.message || response.statusText);
  }
  return data;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body ?? {});

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
