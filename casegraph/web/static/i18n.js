// The workbench's own strings: 简体中文 first, English as a switch. Data from the API is shown as it is.
const CATALOGUE = {
  zh: {
    "app.title": "casegraph 办案工作台",
    "nav.search": "检索", "nav.rings": "团伙", "nav.requests": "协查请求", "nav.bundles": "案件材料包", "nav.admin": "管理",
    "case.label": "当前案件", "case.set": "设定", "case.needed": "请先设定当前案件（案号），每次查询都会记录在审计日志中。",
    "signin.key": "API 密钥", "signin.submit": "登录", "signout": "退出",
    "lang.switch": "English",
    "search.placeholder": "身份证号、统一社会信用代码、手机号、账号或姓名（拼音、繁体亦可）",
    "search.submit": "检索", "search.none": "没有结果",
    "col.type": "类型", "col.name": "名称", "col.key": "标识", "col.regions": "地区", "col.agencies": "机关",
    "col.cases": "案件数", "col.case": "案件", "col.agency": "机关", "col.kind": "种类", "col.document": "文书",
    "col.score": "评分", "col.typologies": "类型", "col.money": "涉案金额", "col.members": "成员",
    "col.status": "状态", "col.note": "备注", "col.requester": "申请人", "col.holder": "持有机关",
    "col.purpose": "事由", "col.time": "时间", "col.user": "用户", "col.action": "操作", "col.role": "角色",
    "col.why": "理由", "col.sources": "来源文书",
    "hidden.title": "命中：以下机关持有您无权查看的材料",
    "hidden.request": "申请访问", "hidden.requested": "已提交访问申请",
    "entity.identifiers": "标识信息", "entity.cases": "关联案件（跨机关）", "entity.documents": "来源文书",
    "entity.chart": "关系图", "chart.hint": "点击节点展开其关系；点击连线查看来源文书。",
    "chart.filters": "筛选", "chart.depth": "展开层数", "chart.nodes": "实体类型", "chart.rels": "关系类型",
    "chart.paths": "最短路径", "chart.path.to": "目标实体标识", "chart.path.find": "查找",
    "chart.path.none": "在可见范围内没有路径",
    "chart.export": "导出当前视图", "chart.same": "疑似同一", "chart.dates": "日期范围（有时间的关系，如资金往来）",
    "chart.sources": "该关系的来源文书", "chart.open": "打开实体页",
    "chart.full": "关系图已满（节点过多）：请先按类型筛选，或打开该节点的实体页。",
    "doc.title": "文书", "doc.page": "第 {n} 页", "doc.mentions": "提及", "doc.case": "所属案件",
    "timeline.title": "案件时间线",
    "stage.regulator": "监管发现", "stage.police": "公安立案侦查", "stage.procuratorate": "检察起诉",
    "stage.court": "法院审判", "stage.other": "其他",
    "rings.title": "团伙线索", "rings.none": "暂无可见团伙", "ring.title": "团伙",
    "ring.flow": "资金流向（按时间）", "ring.confirm": "确认", "ring.dismiss": "排除",
    "ring.note": "备注", "ring.reviewed": "已记录审查结论", "ring.members": "成员及入选理由",
    "requests.title": "协查请求", "requests.made": "本机关发出的请求", "requests.received": "本机关收到的请求",
    "requests.approve": "批准", "requests.deny": "拒绝", "requests.days": "天数",
    "bundles.title": "案件材料包", "bundles.case": "案件标识（case:…）", "bundles.request": "生成",
    "bundles.json": "下载 JSON", "bundles.zip": "下载 ZIP", "bundles.parties": "当事人",
    "bundles.job": "大型案件：后台生成中",
    "admin.users": "本机关用户", "admin.audit": "审计日志", "admin.filter": "筛选",
    "admin.since": "起", "admin.until": "止",
    "status.loading": "加载中…", "status.ready": "就绪",
    "error.session": "会话已过期，请重新登录。",
  },
  en: {
    "app.title": "casegraph workbench",
    "nav.search": "Search", "nav.rings": "Rings", "nav.requests": "Access requests", "nav.bundles": "Bundles",
    "nav.admin": "Admin",
    "case.label": "Working case", "case.set": "Set", "case.needed": "Set the working case (a case reference) first; every call records it in the audit log.",
    "signin.key": "API key", "signin.submit": "Sign in", "signout": "Sign out",
    "lang.switch": "中文",
    "search.placeholder": "ID number, USCC, phone, account or a name (pinyin, traditional characters)",
    "search.submit": "Search", "search.none": "No results",
    "col.type": "Type", "col.name": "Name", "col.key": "Key", "col.regions": "Regions", "col.agencies": "Agencies",
    "col.cases": "Cases", "col.case": "Case", "col.agency": "Agency", "col.kind": "Kind", "col.document": "Document",
    "col.score": "Score", "col.typologies": "Typologies", "col.money": "Money", "col.members": "Members",
    "col.status": "Status", "col.note": "Note", "col.requester": "Requester", "col.holder": "Holder",
    "col.purpose": "Purpose", "col.time": "Time", "col.user": "User", "col.action": "Action", "col.role": "Role",
    "col.why": "Why", "col.sources": "Source documents",
    "hidden.title": "Hit: these agencies hold material you may not see",
    "hidden.request": "Request access", "hidden.requested": "Access requested",
    "entity.identifiers": "Identifiers", "entity.cases": "Cases across agencies", "entity.documents": "Source documents",
    "entity.chart": "Link chart", "chart.hint": "Click a node to expand it; click a link for its source documents.",
    "chart.filters": "Filters", "chart.depth": "Depth", "chart.nodes": "Entity types", "chart.rels": "Relation types",
    "chart.paths": "Shortest paths", "chart.path.to": "Target entity key", "chart.path.find": "Find",
    "chart.path.none": "No path within what you may see",
    "chart.export": "Export the view", "chart.same": "possibly the same", "chart.dates": "Date range (links with a time, e.g. transfers)",
    "chart.sources": "Source documents of this link", "chart.open": "Open entity page",
    "chart.full": "The chart is full (too many nodes): filter by type first, or open the node's own page.",
    "doc.title": "Document", "doc.page": "page {n}", "doc.mentions": "Mentions", "doc.case": "Case",
    "timeline.title": "Case timeline",
    "stage.regulator": "Regulator", "stage.police": "Police", "stage.procuratorate": "Prosecution",
    "stage.court": "Court", "stage.other": "Other",
    "rings.title": "Rings", "rings.none": "No visible rings", "ring.title": "Ring",
    "ring.flow": "Money flow (by time)", "ring.confirm": "Confirm", "ring.dismiss": "Dismiss",
    "ring.note": "Note", "ring.reviewed": "Review recorded", "ring.members": "Members and why",
    "requests.title": "Access requests", "requests.made": "Made by my agency", "requests.received": "Received by my agency",
    "requests.approve": "Approve", "requests.deny": "Deny", "requests.days": "Days",
    "bundles.title": "Case bundles", "bundles.case": "Case key (case:…)", "bundles.request": "Request",
    "bundles.json": "Download JSON", "bundles.zip": "Download ZIP", "bundles.parties": "Parties",
    "bundles.job": "Large case: generating in the background",
    "admin.users": "Users of my agency", "admin.audit": "Audit log", "admin.filter": "Filter",
    "admin.since": "Since", "admin.until": "Until",
    "status.loading": "Loading…", "status.ready": "Ready",
    "error.session": "The session expired; sign in again.",
  },
};

let lang = sessionStorage.getItem("cg.lang") === "en" ? "en" : "zh";

export function t(id, vars = {}) {
  const text = CATALOGUE[lang][id] ?? CATALOGUE.zh[id] ?? id;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export function language() { return lang; }

/** A view's own strings, added to the catalogue when its module loads. */
export function addStrings(zh, en) {
  Object.assign(CATALOGUE.zh, zh);
  Object.assign(CATALOGUE.en, en);
}

export function switchLanguage() {
  lang = lang === "zh" ? "en" : "zh";
  sessionStorage.setItem("cg.lang", lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

/** Fill every element marked data-t (and data-t-placeholder) under `root` from the catalogue. */
export function translate(root = document) {
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll("[data-t-placeholder]")) el.placeholder = t(el.dataset.tPlaceholder);
}
