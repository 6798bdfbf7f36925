  /* ---------- shared: settings from the tag, state, DOM and text helpers ---------- */

  var script = document.currentScript;
  if (!script || document.querySelector("[data-spravka-widget]")) return;

  var data = script.dataset;
  var scriptUrl = script.src || location.href;
  var siteUrl = resolve(data.site || "../", scriptUrl);
  var apiUrl = withSlash(resolve(data.api || "../api/", scriptUrl));
  var config = {
    askUrl: resolve(data.ask || "ask", apiUrl),
    readingsUrl: resolve(data.readings || "readings", apiUrl),
    eventsUrl: resolve(data.events || "events", apiUrl),
    appealsUrl: resolve(data.appeals || "appeals", apiUrl),
    // The help site's appeal status page (it reads the number and the code after "#") and personal-data page.
    statusPage: resolve(data.appealStatus || "appeals/status/", siteUrl),
    privacy: resolve(data.privacy || "service/personal-data/", siteUrl),
    // Appeal times are instants in UTC; they are shown in the company's time, as its e-mails show them.
    timezone: data.timezone || "Europe/Moscow",
    title: data.title || "Справка",
    button: data.button || "Помощь",
    phone: data.phone || "",
    phoneNote: data.phoneNote || "",
    hours: data.hours || "",
    reception: data.reception ? resolve(data.reception, siteUrl) : "",
    lk: data.lk ? resolve(data.lk, siteUrl) : "",
    timeout: parseInt(data.timeout, 10) > 0 ? parseInt(data.timeout, 10) : 8000
  };
  var STORAGE_KEY = "spravka-widget:" + config.askUrl;
  var VISITOR_KEY = "spravka-visitor";
  var MAX_EVENTS = 20;
  var MAX_MESSAGES = 60;
  var ACCOUNT_DIGITS = 12;
  var RESOURCES = {
    electricity: "Электроэнергия", heat: "Тепловая энергия",
    hot_water: "Горячая вода", cold_water: "Холодная вода"
  };
  var UNITS = { kwh: "кВт·ч", gcal: "Гкал", m3: "м³" };
  // The server explains each flag in its `message`; these cover a flag that comes without one.
  var FLAGS = {
    rollover: "Счётчик прошёл через ноль — расход посчитан с учётом перехода.",
    high_consumption: "Расход заметно больше обычного. Показания приняты и будут проверены; если ошиблись в цифрах, передайте их ещё раз.",
    outside_window: "Показания переданы вне срока приёма (с 15 по 25 число)."
  };

  var state = loadState();
  var busy = false;
  var visitor = visitorId();

  /* ---------- small helpers ---------- */

  function resolve(url, base) {
    try { return new URL(url, base).href; } catch (e) { return ""; }
  }
  function withSlash(url) { return /\/$/.test(url) ? url : url + "/"; }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function safeHref(url) {
    var href = resolve(url, siteUrl);
    return /^(https?:|mailto:|tel:)/i.test(href) ? href : "";
  }
  function link(href, text, className) {
    var attrs = { href: href, className: className || null, text: text };
    try {
      if (new URL(href).origin !== location.origin && /^https?:/.test(href)) {
        attrs.target = "_blank";
        attrs.rel = "noopener";
      }
    } catch (e) { /* mailto: and tel: have no origin worth comparing */ }
    return el("a", attrs);
  }
  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "." + m[2] + "." + m[1] : (iso || "");
  }
  function formatNumber(value) {
    return typeof value === "number" ? value.toLocaleString("ru-RU", { maximumFractionDigits: 3 }) : String(value);
  }
  var MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
    "ноябрь", "декабрь"];
  function formatPeriod(period) {
    var m = /^(\d{4})-(\d{2})$/.exec(period || "");
    return m && MONTHS[Number(m[2]) - 1] ? MONTHS[Number(m[2]) - 1] + " " + m[1] : (period || "");
  }
  var MONTHS_OF = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря"];
  // A date ("2026-12-17") is the day it names; an instant ("2026-12-05T07:15:00Z") is read in config.timezone.
  function dateParts(iso) {
    var text = String(iso || "");
    if (/T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) && !isNaN(new Date(text))) {
      var parts = {};
      try {
        new Intl.DateTimeFormat("ru-RU", { timeZone: config.timezone, year: "numeric", month: "numeric", day: "numeric",
          hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(text)).forEach(function (p) {
          parts[p.type] = p.value;
        });
        return { year: parts.year, month: Number(parts.month), day: Number(parts.day), time: parts.hour + ":" + parts.minute };
      } catch (e) { /* an unknown time zone: the instant as written */ }
    }
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(text);
    return m ? { year: m[1], month: Number(m[2]), day: Number(m[3]), time: m[4] || "" } : null;
  }
  // "5 декабря" (with the year when it is not `year`); formatMoment adds the year and the time.
  function formatDay(iso, year) {
    var d = dateParts(iso);
    if (!d || !MONTHS_OF[d.month - 1]) return iso || "";
    return d.day + " " + MONTHS_OF[d.month - 1] + (d.year !== String(year || "") ? " " + d.year : "");
  }
  function formatMoment(iso) {
    var d = dateParts(iso);
    return formatDay(iso) + (d && d.time ? ", " + d.time : "");
  }
  function unitName(unit) { return UNITS[String(unit || "").toLowerCase()] || unit || ""; }
  function zoneLabel(zone, count) {
    if (count <= 1) return "Показание";
    var names = count === 2 ? { t1: "День", t2: "Ночь" } : { t1: "Пик", t2: "Ночь", t3: "Полупик" };
    var code = zone.toUpperCase().replace("T", "Т");
    return names[zone] ? names[zone] + " (" + code + ")" : code;
  }

  /* ---------- state that survives navigation (sessionStorage) ---------- */

  function loadState() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || !Array.isArray(saved.messages)) saved = { open: false, messages: [] };
    saved.session = saved.session || newId();
    return saved;
  }
  function saveState() {
    state.messages = state.messages.slice(-MAX_MESSAGES);
    try { sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (e) { /* storage off: the chat still works */ }
  }

  /* ---------- anonymous events for the editors' report (no cookies, no personal data) ---------- */

  // One random id per browser, in localStorage only: it tells a returning visitor from a new one.
  function visitorId() {
    var id = null;
    try { id = localStorage.getItem(VISITOR_KEY); } catch (e) { id = null; }
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = newId();
      try { localStorage.setItem(VISITOR_KEY, id); } catch (e) { /* storage off: counted as a new visitor */ }
    }
    return id;
  }
