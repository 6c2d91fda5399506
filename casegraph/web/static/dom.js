// Building the page from data: text only (textContent), never HTML from data.
import { t } from "/static/i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: t(h) })))),
            el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
}

export function entityLink(key, caption) {
  return el("a", { href: `#/entity/${encodeURIComponent(key)}`, "data-key": key }, caption || key);
}

export function documentLink(key, caption, focus) {
  const suffix = focus ? `/${encodeURIComponent(focus)}` : "";
  return el("a", { href: `#/doc/${encodeURIComponent(key)}${suffix}`, "data-doc": key }, caption || key);
}

export function errorBox(error) {
  return el("p", { class: "error", "data-code": error.code || "" }, `${error.code || ""} ${error.message || error}`);
}

export function status(text) { document.getElementById("status").textContent = text; }
