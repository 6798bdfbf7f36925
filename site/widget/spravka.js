/* Spravka help widget: a chat with the help desk, a meter-readings form and the appeals form.
 * Plain JavaScript, no globals. Embed with one tag:
 *   <script src="https://help.example.ru/widget/spravka.js" data-title="…" defer></script>
 * Settings come from the tag's data-* attributes (docs/widget.md). Server text is
 * never inserted as HTML: it is turned into DOM nodes with textContent.
 * Generated from site/widget/src/*.js by spravka_tools/widget.py: edit the parts, not this file. */
(function () {
  "use strict";

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
  // The only form of id the server keeps (spravka.ids): what newId() makes.
  var OPAQUE_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
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
    if (!OPAQUE_ID.test(saved.session || "")) saved.session = newId();
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
    if (!id || !OPAQUE_ID.test(id)) {
      id = newId();
      try { localStorage.setItem(VISITOR_KEY, id); } catch (e) { /* storage off: counted as a new visitor */ }
    }
    return id;
  }

  /* ---------- events: batched, fire-and-forget ---------- */

  var pendingEvents = [];
  var eventsTimer = null;
  function track(event) {
    pendingEvents.push(event);
    if (pendingEvents.length >= MAX_EVENTS) flushEvents();
    else if (!eventsTimer) eventsTimer = setTimeout(flushEvents, 1000);
  }
  // keepalive lets the request outlive the page (a click that leaves it); text/plain keeps it a
  // simple request, without a CORS preflight. Nobody waits for the answer, failures are ignored.
  function flushEvents() {
    clearTimeout(eventsTimer);
    eventsTimer = null;
    if (!pendingEvents.length) return;
    var body = JSON.stringify({ visitor: visitor, events: pendingEvents.splice(0, MAX_EVENTS) });
    try {
      fetch(config.eventsUrl, { method: "POST", body: body, keepalive: true, credentials: "omit",
        headers: { "Content-Type": "text/plain;charset=UTF-8" } }).catch(function () {});
    } catch (e) {
      if (navigator.sendBeacon) navigator.sendBeacon(config.eventsUrl, body);
    }
    if (pendingEvents.length) flushEvents();
  }
  window.addEventListener("pagehide", flushEvents);

  /* ---------- safe Markdown: escape-free, built from DOM nodes ---------- */

  var INLINE = /\*\*([^*]+)\*\*|__([^_]+)__|\[([^\]]+)\]\(([^)\s]+)\)|`([^`]+)`|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?»])|\*([^*\s][^*]*)\*/g;

  function appendInline(parent, text) {
    var pattern = new RegExp(INLINE.source, "g");
    var last = 0, match;
    text = String(text);
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] || match[2]) {
        var strong = el("strong");
        appendInline(strong, match[1] || match[2]);
        parent.appendChild(strong);
      } else if (match[3]) {
        var href = safeHref(match[4]);
        parent.appendChild(href ? link(href, match[3]) : document.createTextNode(match[3]));
      } else if (match[5]) {
        parent.appendChild(el("code", { text: match[5] }));
      } else if (match[6]) {
        parent.appendChild(link(match[6], match[6]));
      } else if (match[7]) {
        parent.appendChild(el("em", { text: match[7] }));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderMarkdown(markdown) {
    var root = el("div", { className: "spw-md" });
    var lines = String(markdown || "").replace(/\r\n?/g, "\n").split("\n");
    var paragraph = [], list = null, table = null;
    function flush() {
      if (paragraph.length) {
        var p = el("p");
        appendInline(p, paragraph.join(" "));
        root.appendChild(p);
      }
      paragraph = [];
      list = null;
      table = null;
    }
    lines.forEach(function (line) {
      var item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
      var heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (!line.trim()) { flush(); return; }
      if (/^\s*\|.*\|\s*$/.test(line)) {
        if (!table) { flush(); table = el("table", { className: "spw-table" }); root.appendChild(table); }
        if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) return;
        var row = el("tr");
        line.trim().slice(1, -1).split("|").forEach(function (cell) {
          var td = el("td");
          appendInline(td, cell.trim());
          row.appendChild(td);
        });
        table.appendChild(row);
        return;
      }
      if (heading) {
        flush();
        var h = el("p", { className: "spw-md-heading" });
        appendInline(h, heading[1]);
        root.appendChild(h);
        return;
      }
      if (item) {
        var ordered = /\d/.test(item[1]);
        if (!list || (list.tagName === "OL") !== ordered) {
          flush();
          list = el(ordered ? "ol" : "ul");
          root.appendChild(list);
        }
        var li = el("li");
        appendInline(li, item[2]);
        list.appendChild(li);
        return;
      }
      if (list && /^\s+\S/.test(line)) {
        appendInline(list.lastChild, " " + line.trim());
        return;
      }
      list = null;
      table = null;
      paragraph.push(line.trim());
    });
    flush();
    return root;
  }

  /* ---------- the network: JSON, a timeout, never a spinner forever ---------- */

  function requestJson(method, url, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer;
    var options = { method: method, headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    // The timeout covers the whole exchange, body included: a stalled server ends
    // in the "unreachable" message, never in a spinner that turns forever.
    var timedOut = new Promise(function (resolveLater, reject) {
      timer = setTimeout(function () {
        if (controller) controller.abort();
        reject(new Error("timeout"));
      }, config.timeout);
    });
    var call = fetch(url, options).then(function (response) {
      return response.json().then(
        function (json) { return { status: response.status, ok: response.ok, body: json }; },
        function () {
          if (response.status >= 500) throw new Error("unreachable");
          return { status: response.status, ok: false, body: null };
        });
    });
    return Promise.race([call, timedOut]).then(
      function (result) { clearTimeout(timer); return result; },
      function (error) { clearTimeout(timer); throw error; });
  }
  function errorMessage(result) {
    var error = result && result.body && result.body.error;
    return (error && error.message) || "Не получилось обработать запрос. Попробуйте ещё раз.";
  }

  /* ---------- the widget's DOM ---------- */

  var uid = "spw-" + Math.random().toString(36).slice(2, 8);
  var root = el("div", { className: "spw", "data-spravka-widget": true, lang: "ru" });
  var launcher = el("button", {
    type: "button", className: "spw-launcher", "aria-haspopup": "dialog", "aria-expanded": "false",
    "aria-controls": uid + "-panel", text: config.button
  });
  var closeButton = el("button", { type: "button", className: "spw-close", "aria-label": "Закрыть чат", text: "×" });
  var log = el("div", {
    className: "spw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Переписка", tabindex: "0"
  });
  var status = el("p", { className: "spw-status", role: "status" });
  var input = el("input", {
    id: uid + "-q", className: "spw-input", type: "text", maxlength: "1000", autocomplete: "off",
    placeholder: "Напишите вопрос…", enterkeyhint: "send"
  });
  var sendButton = el("button", { type: "submit", className: "spw-send", text: "Отправить" });
  var composer = el("form", { className: "spw-composer", onsubmit: onComposerSubmit }, [
    el("label", { className: "spw-sr", "for": input.id, text: "Ваш вопрос" }), input, sendButton
  ]);
  var readingsButton = el("button", {
    type: "button", className: "spw-tool", text: "Передать показания", onclick: function () { openReadings(); }
  });
  var readingsBox = el("div", { className: "spw-readings", hidden: true });
  var appealButton = el("button", {
    type: "button", className: "spw-tool", text: "Написать обращение", onclick: function () { openAppeal({}); }
  });
  var checkButton = el("button", {
    type: "button", className: "spw-tool", text: "Проверить обращение", onclick: function () { openAppealCheck(); }
  });
  var appealsBox = el("div", { className: "spw-readings spw-appeals", hidden: true });
  var panel = el("section", {
    id: uid + "-panel", className: "spw-panel", role: "dialog", "aria-labelledby": uid + "-title", hidden: true
  }, [
    el("header", { className: "spw-head" }, [
      el("h2", { id: uid + "-title", className: "spw-title", text: config.title }), closeButton
    ]),
    log, status, readingsBox, appealsBox, composer,
    el("div", { className: "spw-tools" }, [readingsButton, appealButton, checkButton])
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  launcher.addEventListener("click", function () { if (panel.hidden) openPanel(true); else closePanel(); });
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { event.preventDefault(); closePanel(); }
  });
  log.addEventListener("click", function (event) {
    // Leaving the page from a link in the chat: on a phone the chat covered the page, so
    // the next page opens without it; on a wide screen it stays open beside the article.
    var target = event.target.closest ? event.target.closest("a") : null;
    trackClick(target);
    if (target && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
      state.open = false;
      saveState();
    }
  });

  function trackClick(target) {
    var bubble = target && target.closest(".spw-msg-bot");
    var article = target && (target.getAttribute("data-article") || (bubble && bubble.getAttribute("data-article")));
    if (!article || !bubble || !/^https?:/.test(target.href)) return;
    var event = { type: "click", article: article, url: target.href };
    if (bubble.getAttribute("data-question-id")) event.question_id = bubble.getAttribute("data-question-id");
    track(event);
    flushEvents();
  }

  function openPanel(focus) {
    if (!state.visited) {
      state.visited = true;
      track({ type: "visit" });
    }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("spw-is-open");
    state.open = true;
    saveState();
    scrollLog();
    if (focus) input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("spw-is-open");
    state.open = false;
    saveState();
    launcher.focus();
  }
  function scrollLog() { log.scrollTop = log.scrollHeight; }
  function setBusy(value, text) {
    busy = value;
    status.textContent = value ? (text || "Ищу ответ…") : "";
    status.classList.toggle("spw-is-busy", value);
    sendButton.disabled = value;
  }

  /* ---------- the conversation ---------- */

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    var bubble = log.appendChild(renderMessage(message, true));
    // A long answer is read from its start: scroll to it, not past it.
    log.scrollTop = message.who === "user" ? log.scrollHeight : Math.max(0, bubble.offsetTop - 48);
  }
  function renderLog() {
    log.textContent = "";
    log.appendChild(renderMessage({
      who: "bot",
      text: "Здравствуйте! Напишите вопрос — например, «как передать показания» или «где оплатить без комиссии». " +
        "Показания счётчика можно передать прямо здесь."
    }, false));
    state.messages.forEach(function (message) { log.appendChild(renderMessage(message, false)); });
  }

  function renderMessage(message, fresh) {
    var bubble = el("div", { className: "spw-msg spw-msg-" + message.who + (message.kind ? " spw-kind-" + message.kind : "") });
    if (message.who === "user") {
      bubble.appendChild(el("span", { className: "spw-sr", text: "Вы: " }));
      bubble.appendChild(el("p", { text: message.text }));
      return bubble;
    }
    bubble.appendChild(el("span", { className: "spw-sr", text: "Справка: " }));
    if (message.kind === "unreachable") return renderUnreachable(bubble, message);
    if (message.kind === "readings-result") return renderReceipt(bubble, message.receipt);
    if (message.kind === "appeal-receipt") return renderAppealReceipt(bubble, message.appeal);
    if (message.kind === "appeal-status") return renderAppealStatus(bubble, message.appeal);
    if (message.text) bubble.appendChild(renderMarkdown(message.text));
    var reply = message.reply || {};
    if (reply.question_id) bubble.setAttribute("data-question-id", reply.question_id);
    if (reply.kind === "answer" && reply.article) bubble.setAttribute("data-article", reply.article.id);
    if (reply.kind === "answer" && reply.article && safeHref(reply.article.url)) {
      bubble.appendChild(el("p", { className: "spw-article" }, [
        articleLink(reply.article, "Подробнее: " + reply.article.title)
      ]));
    }
    if (message.chosen && !(reply.kind === "answer" && reply.article && reply.article.id === message.chosen.id)) {
      bubble.appendChild(el("p", { className: "spw-article" }, [articleLink(message.chosen, message.chosen.title)]));
    }
    var suggestions = Array.isArray(reply.suggestions) ? reply.suggestions : [];
    if (reply.kind === "clarify" && suggestions.length) {
      bubble.appendChild(renderChoices(suggestions));
    } else if (suggestions.length && reply.kind === "answer") {
      var related = el("ul", { className: "spw-related" });
      suggestions.slice(0, 3).forEach(function (s) {
        if (safeHref(s.url)) related.appendChild(el("li", {}, [articleLink(s, s.title)]));
      });
      if (related.childNodes.length) {
        bubble.appendChild(el("p", { className: "spw-note", text: "Ещё по теме:" }));
        bubble.appendChild(related);
      }
    }
    if (reply.action === "submit-readings") {
      bubble.appendChild(el("p", {}, [readingsStarter("Открыть форму показаний")]));
      if (fresh) openReadings(true);
    }
    if (reply.action === "personal") bubble.appendChild(renderPersonal(!message.text, message));
    if (reply.kind === "fallback" || reply.action === "operator") {
      bubble.appendChild(el("p", { className: "spw-actions" }, [appealStarter(message)]));
    }
    if (reply.kind === "fallback" || reply.action === "operator" || reply.action === "personal") {
      bubble.appendChild(renderContacts(false));
    }
    if (reply.kind === "answer" && reply.article) bubble.appendChild(renderHelpful(message));
    return bubble;
  }

  function articleLink(article, text) {
    var a = link(safeHref(article.url), text);
    a.setAttribute("data-article", article.id);
    return a;
  }

  // "Помог ли ответ?" under each answer; the choice is kept with the message.
  function renderHelpful(message) {
    var box = el("div", { className: "spw-helpful", role: "group", "aria-label": "Помог ли ответ?" });
    function thank() {
      box.textContent = "";
      box.appendChild(el("p", { className: "spw-note", text: "Спасибо за отзыв!" }));
      if (message.helpful !== false) return;
      // A «Нет» is not the end: the way on — other words, a person, a written appeal.
      var ways = el("p", { className: "spw-note" }, ["Попробуйте спросить другими словами"]);
      if (config.phone) {
        ways.appendChild(document.createTextNode(" или позвоните специалистам: "));
        ways.appendChild(link("tel:" + config.phone.replace(/[^\d+]/g, ""), config.phone));
        if (config.hours) ways.appendChild(document.createTextNode(" (" + config.hours + ")"));
      }
      ways.appendChild(document.createTextNode(". Можно и написать обращение — ответим письменно."));
      box.appendChild(ways);
      box.appendChild(el("p", { className: "spw-actions" }, [appealStarter(message)]));
    }
    if (message.helpful === true || message.helpful === false) { thank(); return box; }
    function answer(value) {
      message.helpful = value;
      saveState();
      var event = { type: "helpful", article: message.reply.article.id, value: value };
      if (message.reply.question_id) event.question_id = message.reply.question_id;
      track(event);
      thank();
      input.focus();
    }
    box.appendChild(el("span", { text: "Помог ли ответ?" }));
    box.appendChild(el("button", { type: "button", className: "spw-tool", text: "Да", onclick: function () { answer(true); } }));
    box.appendChild(el("button", { type: "button", className: "spw-tool", text: "Нет", onclick: function () { answer(false); } }));
    return box;
  }

  function renderChoices(suggestions) {
    var group = el("div", { className: "spw-choices", role: "group", "aria-label": "Уточните вопрос" });
    suggestions.forEach(function (s) {
      group.appendChild(el("button", {
        type: "button", className: "spw-choice", text: s.title,
        onclick: function () { if (!busy) { ask(s.title, s); input.focus(); } }
      }));
    });
    return group;
  }

  // withReception: the reception's own page, where the widget cannot offer its appeals form.
  function renderContacts(withReception) {
    var items = [];
    if (config.reception && withReception) {
      items.push(el("li", {}, ["Виртуальная приёмная: ", link(config.reception, "написать обращение")]));
    }
    if (config.phone) {
      // One set of contacts (knowledge/facts.yml): the line round the clock, its specialists in their hours.
      var phone = el("li", {}, ["Горячая линия: ", link("tel:" + config.phone.replace(/[^\d+]/g, ""), config.phone)]);
      var notes = [config.phoneNote, config.hours ? "специалисты отвечают " + config.hours : ""].filter(Boolean);
      if (notes.length) phone.appendChild(document.createTextNode(" (" + notes.join("; ") + ")"));
      items.push(phone);
    }
    if (!items.length) return null;
    return el("div", { className: "spw-contacts" }, [
      el("p", { className: "spw-note", text: "Связаться со специалистом:" }), el("ul", {}, items)
    ]);
  }

  function renderPersonal(explain, message) {
    // The reply's text explains; this says it only when the text is missing.
    var box = el("div", { className: "spw-personal" }, [
      explain ? el("p", { text: "Начисления, платежи и задолженность по вашему лицевому счёту видны только вам — " +
        "в личном кабинете. В чате мы не видим ваши данные." }) : null
    ]);
    var actions = el("p", { className: "spw-actions" });
    if (config.lk) actions.appendChild(link(config.lk, "Открыть личный кабинет", "spw-button-link"));
    actions.appendChild(readingsStarter("Передать показания"));
    actions.appendChild(appealStarter(message));
    box.appendChild(actions);
    return box;
  }

  function readingsStarter(text) {
    return el("button", { type: "button", className: "spw-tool", text: text, onclick: function () { openReadings(true); } });
  }

  function renderUnreachable(bubble, message) {
    bubble.appendChild(el("p", { text: "Сервис ответов сейчас недоступен или отвечает слишком долго. " +
      "Попробуйте ещё раз через минуту." }));
    var search = resolve("?q=" + encodeURIComponent(message.q || ""), siteUrl);
    bubble.appendChild(el("p", {}, ["Ответ можно найти самостоятельно: ", link(search, "поиск по справке"), "."]));
    var contacts = renderContacts(true);
    if (contacts) bubble.appendChild(contacts);
    return bubble;
  }

  function onComposerSubmit(event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    ask(question, null);
  }

  function ask(question, chosen) {
    addMessage({ who: "user", text: question });
    setBusy(true);
    requestJson("POST", config.askUrl, { q: question, session: state.session, visitor: visitor }).then(function (result) {
      setBusy(false);
      if (result.status >= 500) {
        addMessage({ who: "bot", kind: "unreachable", q: question });
      } else if (result.ok && result.body) {
        var reply = result.body;
        addMessage({ who: "bot", kind: reply.kind, text: reply.text, reply: reply, chosen: chosen || undefined, q: question });
      } else {
        addMessage({ who: "bot", kind: "error", text: errorMessage(result) });
      }
    }, function () {
      setBusy(false);
      addMessage({ who: "bot", kind: "unreachable", q: question });
    });
  }

  /* ---------- the readings form ---------- */

  var form = null;

  function openReadings(focus) {
    closeAppealsBox();
    if (!form) form = buildReadingsForm();
    state.readings = state.readings || {};
    state.readings.open = true;
    saveState();
    readingsBox.hidden = false;
    readingsButton.hidden = true;
    if (panel.hidden) openPanel(false);
    if (focus !== false) form.account.focus();
  }
  function closeReadings(focusInput) {
    readingsBox.hidden = true;
    readingsButton.hidden = false;
    readingsBox.textContent = "";
    form = null;
    state.readings = { open: false };
    saveState();
    if (focusInput) input.focus();
  }

  function buildReadingsForm() {
    var saved = state.readings || {};
    var f = { meters: [], meter: null, pending: null };
    f.account = el("input", {
      id: uid + "-account", className: "spw-input", type: "text", inputmode: "numeric", autocomplete: "off",
      maxlength: "20", "aria-describedby": uid + "-account-hint"
    });
    f.account.value = saved.account || "";
    f.accountHint = el("p", { id: uid + "-account-hint", className: "spw-hint", "aria-live": "polite" });
    f.findButton = el("button", { type: "button", className: "spw-tool", text: "Найти счётчики", onclick: findMeters });
    f.meterBox = el("div", { className: "spw-meters" });
    f.valuesBox = el("div", { className: "spw-values" });
    f.error = el("p", { className: "spw-error", role: "alert" });
    f.submit = el("button", { type: "submit", className: "spw-send", text: "Отправить показания", hidden: true });
    f.node = el("form", { className: "spw-form", novalidate: true, "aria-labelledby": uid + "-readings-title", onsubmit: onReadingsSubmit }, [
      el("div", { className: "spw-form-head" }, [
        el("h3", { id: uid + "-readings-title", className: "spw-subtitle", text: "Передача показаний" }),
        el("button", { type: "button", className: "spw-close spw-close-small", "aria-label": "Закрыть форму показаний", text: "×",
          onclick: function () { closeReadings(true); } })
      ]),
      el("div", { className: "spw-field" }, [
        el("label", { "for": f.account.id, text: "Номер лицевого счёта" }), f.account, f.accountHint
      ]),
      f.findButton, f.meterBox, f.valuesBox, f.error, f.submit
    ]);
    f.account.addEventListener("input", function () {
      checkAccount(f);
      state.readings.account = f.account.value;
      saveState();
      if (f.meters.length && accountDigits(f) !== f.loadedAccount) resetMeters(f);
    });
    f.account.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !f.meters.length) { event.preventDefault(); findMeters(); }
    });
    readingsBox.appendChild(f.node);
    checkAccount(f);
    return f;
  }

  function accountDigits(f) { return f.account.value.replace(/[\s\u00a0-]/g, ""); }

  function checkAccount(f) {
    var digits = accountDigits(f);
    var hint, invalid = false;
    if (!digits) hint = ACCOUNT_DIGITS + " цифр, указан в верхней части квитанции.";
    else if (/\D/.test(digits)) { hint = "В номере лицевого счёта только цифры."; invalid = true; }
    else if (digits.length < ACCOUNT_DIGITS) hint = "Введено цифр: " + digits.length + " из " + ACCOUNT_DIGITS + ".";
    else if (digits.length > ACCOUNT_DIGITS) { hint = "Лишние цифры: номер лицевого счёта — " + ACCOUNT_DIGITS + " цифр."; invalid = true; }
    else hint = "Номер введён полностью.";
    f.accountHint.textContent = hint;
    f.account.setAttribute("aria-invalid", invalid ? "true" : "false");
    return !invalid && digits.length === ACCOUNT_DIGITS;
  }

  function resetMeters(f) {
    f.meters = [];
    f.meter = null;
    f.meterBox.textContent = "";
    f.valuesBox.textContent = "";
    f.submit.hidden = true;
    f.findButton.hidden = false;
  }

  function findMeters() {
    var f = form;
    if (!f || f.loading) return;
    f.error.textContent = "";
    if (!checkAccount(f)) {
      f.error.textContent = "Введите номер лицевого счёта — " + ACCOUNT_DIGITS + " цифр.";
      f.account.focus();
      return;
    }
    var account = accountDigits(f);
    f.loading = true;
    setBusy(true, "Ищу счётчики…");
    requestJson("POST", config.readingsUrl + "/meters", { account: account }).then(function (result) {
      f.loading = false;
      setBusy(false);
      if (form !== f) return;
      if (!result.ok || !result.body || !Array.isArray(result.body.meters)) {
        f.error.textContent = errorMessage(result);
        f.account.focus();
        return;
      }
      if (!result.body.meters.length) {
        f.error.textContent = "По этому лицевому счёту нет счётчиков, которые принимают показания.";
        return;
      }
      f.loadedAccount = account;
      f.meters = result.body.meters;
      showMeters(f);
    }, function () {
      f.loading = false;
      setBusy(false);
      if (form === f) f.error.textContent = networkMessage("Найти счётчики");
    });
  }

  function meterName(meter) {
    var name = RESOURCES[meter.resource] || meter.resource || "Счётчик";
    if (meter.serial_tail) name += ", счётчик № …" + String(meter.serial_tail).replace(/^[.…*]+/, "");
    return name;
  }

  function showMeters(f) {
    f.meterBox.textContent = "";
    f.findButton.hidden = true;
    if (f.meters.length === 1) {
      f.meterBox.appendChild(el("p", { className: "spw-note", text: meterName(f.meters[0]) }));
      selectMeter(f, f.meters[0]);
      return;
    }
    var fieldset = el("fieldset", { className: "spw-fieldset" }, [el("legend", { text: "Выберите счётчик" })]);
    f.meters.forEach(function (meter, i) {
      var radio = el("input", { type: "radio", name: uid + "-meter", id: uid + "-meter-" + i, value: meter.id,
        onchange: function () { selectMeter(f, meter); } });
      fieldset.appendChild(el("div", { className: "spw-radio" }, [radio, el("label", { "for": radio.id, text: meterName(meter) })]));
    });
    f.meterBox.appendChild(fieldset);
    fieldset.querySelector("input").focus();
  }

  function selectMeter(f, meter) {
    f.meter = meter;
    f.pending = null;
    f.valuesBox.textContent = "";
    f.inputs = {};
    var zones = Array.isArray(meter.zones) && meter.zones.length ? meter.zones : ["t1"];
    var previous = meter.last_values || {};
    if (meter.last_date) {
      f.valuesBox.appendChild(el("p", { className: "spw-note", text: "Предыдущие показания приняты " + formatDate(meter.last_date) + "." }));
    }
    zones.forEach(function (zone) {
      var id = uid + "-value-" + zone;
      var field = el("input", { id: id, className: "spw-input", type: "text", inputmode: "decimal", autocomplete: "off",
        maxlength: "20", "aria-describedby": id + "-hint" });
      var hint = el("p", { id: id + "-hint", className: "spw-hint", "aria-live": "polite" });
      field.unit = meter.unit;
      field.addEventListener("input", function () { checkValue(field, hint); });
      f.inputs[zone] = { field: field, hint: hint };
      f.valuesBox.appendChild(el("div", { className: "spw-field" }, [
        el("label", { "for": id, text: zoneLabel(zone, zones.length) + ", " + unitName(meter.unit) +
          (typeof previous[zone] === "number" ? " (предыдущее: " + formatNumber(previous[zone]) + ")" : "") }), field, hint
      ]));
    });
    f.submit.hidden = false;
    f.inputs[zones[0]].field.focus();
  }

  function parseValue(text) {
    var compact = String(text).replace(/[\s\u00a0\u202f']/g, "").replace(",", ".");
    return /^\d+(\.\d+)?$/.test(compact) ? Number(compact) : null;
  }
  // One rule with the article «Как снять показания со счётчика»: electricity is read to the comma
  // (the digits after it may be left out); heat (Gcal) and water (m³) keep their decimals.
  function valueHint(unit) {
    return String(unit || "").toLowerCase() === "kwh"
      ? "Введите число с табло счётчика, например 12345 или 12 345 — цифры после запятой можно не вводить."
      : "Введите число с табло счётчика вместе с цифрами после запятой, например 123,456.";
  }
  function checkValue(field, hint) {
    var value = field.value.trim();
    var ok = !value || parseValue(value) !== null;
    hint.textContent = ok ? "" : valueHint(field.unit);
    field.setAttribute("aria-invalid", ok ? "false" : "true");
    return ok && value !== "";
  }

  function networkMessage(action) {
    return "Нет связи с сервисом показаний. Введённые данные сохранены — нажмите «" + action + "» ещё раз. " +
      "Если не получится, передайте показания в личном кабинете" + (config.phone ? " или по телефону " + config.phone : "") + ".";
  }

  function onReadingsSubmit(event) {
    event.preventDefault();
    var f = form;
    if (!f || f.sending) return;
    if (!f.meter) { findMeters(); return; }
    f.error.textContent = "";
    var values = {}, firstBad = null;
    Object.keys(f.inputs).forEach(function (zone) {
      var entry = f.inputs[zone];
      if (!checkValue(entry.field, entry.hint)) {
        if (!entry.field.value.trim()) entry.hint.textContent = "Введите показание.";
        firstBad = firstBad || entry.field;
      } else {
        values[zone] = parseValue(entry.field.value);
      }
    });
    if (firstBad) { f.error.textContent = "Проверьте показания."; firstBad.focus(); return; }
    var account = accountDigits(f);
    var signature = JSON.stringify([account, f.meter.id, values]);
    // One key per submission: a retry after a lost answer reuses it, so the
    // server returns the first reading instead of recording a second one.
    if (!f.pending || f.pending.signature !== signature) f.pending = { signature: signature, key: newId() };
    var body = { account: account, meter: f.meter.id, values: values, idempotency_key: f.pending.key };
    f.sending = true;
    f.submit.disabled = true;
    setBusy(true, "Отправляю показания…");
    requestJson("POST", config.readingsUrl, body).then(function (result) {
      f.sending = false;
      f.submit.disabled = false;
      setBusy(false);
      if (form !== f) return;
      if (result.ok && result.body) {
        var receipt = result.body;
        receipt.labels = {};
        Object.keys(f.inputs).forEach(function (zone) { receipt.labels[zone] = zoneLabel(zone, Object.keys(f.inputs).length); });
        receipt.meterName = meterName(f.meter);
        receipt.typed = values;
        receipt.previous = f.meter.last_values || {};
        receipt.replayed = result.status === 200;
        closeReadings(true);
        addMessage({ who: "bot", kind: "readings-result", receipt: receipt });
        return;
      }
      f.error.textContent = errorMessage(result);
      if (result.status !== 429 && result.status !== 503) f.pending = null;
      var zone = result.body && result.body.error && /zone|value|below/.test(result.body.error.code || "") ? Object.keys(f.inputs)[0] : null;
      if (result.status === 404 || /account/.test((result.body && result.body.error && result.body.error.code) || "")) f.account.focus();
      else if (zone) f.inputs[zone].field.focus();
    }, function () {
      f.sending = false;
      f.submit.disabled = false;
      setBusy(false);
      if (form === f) f.error.textContent = networkMessage("Отправить показания");
    });
  }

  // "250 кВт·ч (1 250 − 1 000)": the arithmetic a customer can check, when it is plain subtraction
  // (not after a counter rollover, and not for a resent receipt whose previous value has moved on).
  function consumptionText(receipt, zone, unit) {
    var used = (receipt.consumption || {})[zone];
    var text = formatNumber(used) + " " + unit;
    var typed = (receipt.typed || {})[zone], previous = (receipt.previous || {})[zone];
    if (!receipt.replayed && typeof typed === "number" && typeof previous === "number" &&
        Math.abs(typed - previous - used) < 0.0005) {
      text += " (" + formatNumber(typed) + " − " + formatNumber(previous) + ")";
    }
    return text;
  }

  function renderReceipt(bubble, receipt) {
    bubble.appendChild(el("p", { className: "spw-strong",
      text: receipt.replayed ? "Эти показания уже приняты." : "Показания приняты." }));
    // The same values sent again under a new key: the server says when they were accepted.
    if (receipt.duplicate && typeof receipt.note === "string") bubble.appendChild(el("p", { className: "spw-note", text: receipt.note }));
    if (receipt.meterName) bubble.appendChild(el("p", { className: "spw-note", text: receipt.meterName }));
    var unit = unitName(receipt.unit);
    var consumption = receipt.consumption || {};
    var zones = Object.keys(consumption);
    var since = receipt.since ? " с " + formatDate(receipt.since) : "";
    if (zones.length === 1) {
      bubble.appendChild(el("p", { text: "Расход" + since + ": " + consumptionText(receipt, zones[0], unit) }));
    } else if (zones.length) {
      bubble.appendChild(el("p", { text: "Расход" + since + ":" }));
      var list = el("ul", { className: "spw-consumption" });
      zones.forEach(function (zone) {
        var label = (receipt.labels && receipt.labels[zone]) || zoneLabel(zone, zones.length);
        list.appendChild(el("li", { text: label + ": " + consumptionText(receipt, zone, unit) }));
      });
      bubble.appendChild(list);
    }
    var flags = Array.isArray(receipt.flags) ? receipt.flags : [];
    flags.forEach(function (flag) {
      var code = typeof flag === "string" ? flag : (flag && flag.code) || "";
      var text = (flag && flag.message) || FLAGS[code] || "Отметка к показаниям: " + code + ".";
      bubble.appendChild(el("p", { className: "spw-flag", text: text }));
    });
    if (receipt.period) bubble.appendChild(el("p", { className: "spw-note", text: "Расчётный период: " + formatPeriod(receipt.period) + "." }));
    return bubble;
  }

  /* ---------- the appeals form: a written appeal to the virtual reception (contract §7) ---------- */

  var appeal = null; // the open appeals form (or status check) in the chat panel
  var categoriesLoad = null; // GET <appeals>/categories, once per page
  var APPEAL_TEXT_MIN = 10;
  var APPEAL_TEXT_MAX = 4000;

  // «Написать обращение» under a reply: the form, with the customer's question as its text.
  function appealStarter(message) {
    return el("button", { type: "button", className: "spw-tool", text: "Написать обращение", onclick: function () {
      openAppeal({ text: (message && message.q) || "", question_id: message && message.reply && message.reply.question_id });
    } });
  }

  function openAppeal(prefill) {
    if (form) closeReadings(false);
    closeAppealsBox();
    state.appeal = { open: "form", draft: { text: prefill.text || "" }, question_id: prefill.question_id || null };
    saveState();
    showAppealsBox(buildAppealForm(appealsBox, "chat", state.appeal));
  }
  function showAppealsBox(built) {
    appeal = built;
    appealsBox.hidden = false;
    root.classList.add("spw-is-writing");
    if (panel.hidden) openPanel(false);
    built.first.focus();
  }
  function closeAppealsBox(focusInput) {
    if (!appeal && appealsBox.hidden) return;
    appealsBox.hidden = true;
    appealsBox.textContent = "";
    root.classList.remove("spw-is-writing");
    appeal = null;
    state.appeal = null;
    saveState();
    if (focusInput) input.focus();
  }
  // After navigation: the form as it was left, with what was typed.
  function restoreAppealsBox() {
    if (!state.appeal || !state.appeal.open) return;
    var built = state.appeal.open === "check" ? buildCheckForm(appealsBox, "chat", onChatCheck) :
      buildAppealForm(appealsBox, "chat", state.appeal);
    appeal = built;
    appealsBox.hidden = false;
    root.classList.add("spw-is-writing");
  }

  function loadCategories() {
    if (!categoriesLoad) {
      categoriesLoad = requestJson("GET", config.appealsUrl + "/categories").then(function (result) {
        if (result.ok && result.body && Array.isArray(result.body.categories)) return result.body.categories;
        throw new Error(errorMessage(result));
      });
      categoriesLoad.catch(function () { categoriesLoad = null; }); // the next form asks again
    }
    return categoriesLoad;
  }

  // One labelled field: the control, a hint and the error for it, both read with the control.
  function appealField(f, name, label, control, hintText) {
    var hint = hintText ? el("p", { id: control.id + "-hint", className: "spw-hint spw-hint-steady", text: hintText }) : null;
    var error = el("p", { id: control.id + "-error", className: "spw-field-error" });
    control.setAttribute("aria-describedby", (hint ? hint.id + " " : "") + error.id);
    f.fields[name] = { control: control, error: error };
    return el("div", { className: "spw-field" }, [el("label", { "for": control.id, text: label }), control, hint, error]);
  }
  function setFieldError(f, name, message) {
    var field = f.fields[name];
    field.error.textContent = message || "";
    field.control.setAttribute("aria-invalid", message ? "true" : "false");
  }

  function buildAppealForm(container, place, saved) {
    var id = uid + "-" + place + "-appeal";
    var draft = saved.draft || {};
    var f = { fields: {}, pending: null, saved: saved, place: place };
    f.category = el("select", { id: id + "-category", className: "spw-input" }, [
      el("option", { value: "", text: "Загружаю темы…" })
    ]);
    f.text = el("textarea", { id: id + "-text", className: "spw-input spw-textarea", rows: "4",
      maxlength: String(APPEAL_TEXT_MAX) });
    f.email = el("input", { id: id + "-email", className: "spw-input", type: "email", autocomplete: "email",
      inputmode: "email" });
    f.phone = el("input", { id: id + "-phone", className: "spw-input", type: "tel", autocomplete: "tel" });
    f.account = el("input", { id: id + "-account", className: "spw-input", type: "text", inputmode: "numeric",
      autocomplete: "off", maxlength: "20" });
    f.consent = el("input", { id: id + "-consent", type: "checkbox" });
    f.error = el("p", { className: "spw-error", role: "alert" });
    f.submit = el("button", { type: "submit", className: "spw-send", text: "Отправить обращение" });
    ["text", "email", "phone", "account"].forEach(function (name) { f[name].value = draft[name] || ""; });
    f.first = f.category;
    var consentField = el("div", { className: "spw-field" }, [
      el("div", { className: "spw-check" }, [f.consent,
        el("label", { "for": f.consent.id, text: "Согласен на обработку персональных данных для ответа на обращение" })]),
      el("p", { id: f.consent.id + "-hint", className: "spw-hint spw-hint-steady" }, [
        link(config.privacy, "Как мы обрабатываем персональные данные")]),
      el("p", { id: f.consent.id + "-error", className: "spw-field-error" })
    ]);
    f.consent.setAttribute("aria-describedby", f.consent.id + "-hint " + f.consent.id + "-error");
    f.fields.consent = { control: f.consent, error: consentField.lastChild };
    var head = el("div", { className: "spw-form-head" }, [
      el(place === "chat" ? "h3" : "h2", { id: id + "-title", className: "spw-subtitle", text: "Обращение в виртуальную приёмную" }),
      place === "chat" ? el("button", { type: "button", className: "spw-close spw-close-small",
        "aria-label": "Закрыть форму обращения", text: "×", onclick: function () { closeAppealsBox(true); } }) : null
    ]);
    f.node = el("form", { className: "spw-form", novalidate: true, "aria-labelledby": id + "-title",
      onsubmit: function (event) { event.preventDefault(); sendAppeal(f, container); } }, [
      head,
      el("p", { className: "spw-hint", text: "Ответим письменно. Обращению присвоим номер — по нему можно следить, что с ним." }),
      appealField(f, "category", "Тема обращения", f.category),
      appealField(f, "text", "Текст обращения", f.text,
        "Что случилось и чего вы просите — от " + APPEAL_TEXT_MIN + " до " + APPEAL_TEXT_MAX + " символов."),
      appealField(f, "email", "E-mail", f.email, "Сюда придут номер обращения и ответ."),
      appealField(f, "phone", "Телефон", f.phone, "Укажите e-mail, телефон или оба."),
      appealField(f, "account", "Лицевой счёт (необязательно)", f.account,
        ACCOUNT_DIGITS + " цифр, указан в верхней части квитанции."),
      consentField, f.error, f.submit
    ]);
    f.node.addEventListener("input", function () { saveDraft(f); });
    container.appendChild(f.node);
    fillCategories(f, draft.category);
    return f;
  }

  function saveDraft(f) {
    f.saved.draft = { category: f.category.value, text: f.text.value, email: f.email.value, phone: f.phone.value,
      account: f.account.value };
    if (f.place === "chat") saveState();
  }

  function fillCategories(f, chosen) {
    loadCategories().then(function (categories) {
      // The list may arrive after the customer pressed «Отправить» on a slow line: keep what the
      // field shows then (their choice, or the error «Выберите тему обращения»), clear only the
      // error of an earlier failed load.
      chosen = f.category.value || chosen;
      f.category.textContent = "";
      f.category.appendChild(el("option", { value: "", text: "Выберите тему" }));
      categories.forEach(function (c) {
        f.category.appendChild(el("option", { value: c.id, text: c.title, selected: c.id === chosen }));
      });
      if (f.categoriesFailed) setFieldError(f, "category", "");
      f.categoriesFailed = false;
    }, function (error) {
      f.categoriesFailed = true;
      f.category.textContent = "";
      f.category.appendChild(el("option", { value: "", text: "Темы не загрузились" }));
      // The server's own message when it sent one (in Russian), else the network's fault in words.
      setFieldError(f, "category", /[а-яё]/i.test(error.message) ? error.message :
        "Не удалось загрузить темы: нет связи с сервисом обращений. Попробуйте позже.");
    });
  }

  function onlyDigits(text) { return String(text || "").replace(/[\s\u00a0()+-]/g, ""); }

  // The checks a customer can fix before sending; the server checks again and its message wins.
  function checkAppeal(f) {
    var text = f.text.value.trim(), email = f.email.value.trim(), phone = f.phone.value.trim();
    var account = onlyDigits(f.account.value);
    var problems = {
      category: f.category.value ? "" : "Выберите тему обращения.",
      text: text.length < APPEAL_TEXT_MIN ? "Опишите вопрос подробнее — не меньше " + APPEAL_TEXT_MIN + " символов." :
        text.length > APPEAL_TEXT_MAX ? "Текст длиннее " + APPEAL_TEXT_MAX + " символов: сократите его." : "",
      email: !email && !phone ? "Укажите e-mail или телефон — иначе мы не сможем ответить." :
        email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? "Проверьте e-mail: например, ivanova@example.ru." : "",
      phone: phone && !/^\d{10,15}$/.test(onlyDigits(phone)) ? "Проверьте телефон: нужны 10–15 цифр, например +7 900 123-45-67." : "",
      account: account && !new RegExp("^\\d{" + ACCOUNT_DIGITS + "}$").test(account) ?
        "Номер лицевого счёта — " + ACCOUNT_DIGITS + " цифр. Если не знаете его, оставьте поле пустым." : "",
      consent: f.consent.checked ? "" : "Без согласия на обработку персональных данных мы не можем принять обращение."
    };
    var first = null;
    ["category", "text", "email", "phone", "account", "consent"].forEach(function (name) {
      setFieldError(f, name, problems[name]);
      if (problems[name] && !first) first = f.fields[name].control;
    });
    return first;
  }

  // The API's messages name its fields for integrators («согласие (consent)»); a customer reads them without.
  function plainMessage(result) { return errorMessage(result).replace(/\s*\([a-z_]+\)/g, ""); }

  // Which field a server error belongs to, from its code (category_unknown, contact_missing, email_invalid…).
  function appealErrorField(code) {
    var rules = [["categor", "category"], ["consent", "consent"], ["email", "email"], ["phone", "phone"],
      ["contact", "email"], ["account", "account"], ["text", "text"]];
    for (var i = 0; i < rules.length; i++) if (String(code || "").indexOf(rules[i][0]) >= 0) return rules[i][1];
    return null;
  }

  function sendAppeal(f, container) {
    if (f.sending) return;
    f.error.textContent = "";
    var bad = checkAppeal(f);
    if (bad) { f.error.textContent = "Исправьте ошибки в форме — они указаны под полями."; bad.focus(); return; }
    var contact = {};
    if (f.email.value.trim()) contact.email = f.email.value.trim();
    if (f.phone.value.trim()) contact.phone = f.phone.value.trim();
    var body = { category: f.category.value, text: f.text.value.trim(), contact: contact, consent: true };
    if (onlyDigits(f.account.value)) body.account = onlyDigits(f.account.value);
    if (f.saved.question_id) body.question_id = f.saved.question_id;
    // One key per submission: a retry after a lost answer gets the same appeal, not a second one.
    var signature = JSON.stringify(body);
    if (!f.pending || f.pending.signature !== signature) f.pending = { signature: signature, key: newId() };
    body.idempotency_key = f.pending.key;
    markSending(f, "Отправляю обращение…");
    requestJson("POST", config.appealsUrl, body).then(function (result) {
      markSending(f, null);
      if (result.ok && result.body && result.body.number) {
        var receipt = { number: result.body.number, secret: result.body.secret, status: result.body.status,
          registered_at: result.body.registered_at, deadlines: result.body.deadlines || {},
          email: contact.email || "", replayed: result.status === 200 };
        appealSent(f, container, receipt);
        return;
      }
      var error = (result.body && result.body.error) || {};
      var field = result.status === 400 ? appealErrorField(error.code) : null;
      if (result.status !== 429 && result.status !== 503) f.pending = null;
      if (field) {
        setFieldError(f, field, plainMessage(result));
        f.error.textContent = "Исправьте ошибки в форме — они указаны под полями.";
        f.fields[field].control.focus();
      } else {
        f.error.textContent = plainMessage(result);
      }
    }, function () {
      markSending(f, null);
      f.error.textContent = "Нет связи с сервисом обращений. Введённое сохранено — нажмите «Отправить обращение» ещё раз." +
        (config.phone ? " Если не получится, позвоните по телефону " + config.phone + "." : "");
    });
  }

  // While a form waits for the server: its button says so (it has the focus; on a help page the chat's
  // status line is not there to say it) and does not send twice.
  function markSending(f, text) {
    f.sending = Boolean(text);
    f.submit.disabled = f.sending;
    if (f.sending) f.submitText = f.submit.textContent;
    f.submit.textContent = text || f.submitText;
    setBusy(f.sending, text);
  }

  // The form folds away; the number, the deadlines and the status link take its place.
  function appealSent(f, container, receipt) {
    if (f.place === "chat") {
      closeAppealsBox(false);
      addMessage({ who: "bot", kind: "appeal-receipt", appeal: receipt });
      var bubble = log.lastChild;
      bubble.setAttribute("tabindex", "-1");
      bubble.focus();
      return;
    }
    container.textContent = "";
    var box = renderAppealReceipt(el("div", { className: "spw-receipt", tabindex: "-1" }), receipt);
    box.appendChild(el("p", {}, [el("button", { type: "button", className: "spw-tool", text: "Написать ещё одно обращение",
      onclick: function () { container.textContent = ""; buildAppealForm(container, f.place, { draft: {} }).first.focus(); } })]));
    container.appendChild(box);
    box.focus();
  }

  // The format of the e-mails' link (docs/appeals.md): "#<number>.<secret>"; neither contains a dot.
  function statusLink(number, secret) {
    return config.statusPage.split("#")[0] + "#" + encodeURIComponent(number) + "." + encodeURIComponent(secret);
  }

  // «Рассмотрим до 5 декабря, ответим до 17 декабря.»
  function deadlinesText(appealData, reviewToo) {
    var deadlines = appealData.deadlines || {};
    var registered = dateParts(appealData.registered_at);
    var year = registered ? registered.year : "";
    var parts = [];
    if (reviewToo && deadlines.review_by) parts.push("рассмотрим до " + formatDay(deadlines.review_by, year));
    if (deadlines.decision_by) parts.push("ответим до " + formatDay(deadlines.decision_by, year));
    if (!parts.length) return "";
    var text = parts.join(", ") + ".";
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function renderAppealReceipt(box, receipt) {
    box.appendChild(el("p", { className: "spw-strong",
      text: receipt.replayed ? "Это обращение уже зарегистрировано." : "Обращение зарегистрировано." }));
    box.appendChild(el("p", {}, ["Номер обращения: ", el("strong", { className: "spw-code", text: receipt.number })]));
    var deadlines = deadlinesText(receipt, true);
    if (deadlines) box.appendChild(el("p", { text: deadlines }));
    if (receipt.secret) {
      box.appendChild(el("p", {}, ["Код доступа: ", el("strong", { className: "spw-code", text: receipt.secret })]));
      box.appendChild(el("p", {}, [link(statusLink(receipt.number, receipt.secret), "Страница обращения")]));
    }
    box.appendChild(el("p", { className: "spw-note", text: "Сохраните номер, код и ссылку: по ним видно, что с обращением, " +
      "там же появится ответ." + (receipt.email ? " Письмо с ними придёт на " + receipt.email + "." : "") }));
    return box;
  }

  /* ---------- «Проверить обращение»: the status by number and code; the help site's appeal pages ---------- */

  var STATUSES = {
    registered: "Зарегистрировано", in_review: "На рассмотрении", waiting_customer: "Ждём ответа от вас",
    answered: "Дан ответ", closed: "Закрыто"
  };

  function openAppealCheck() {
    if (form) closeReadings(false);
    closeAppealsBox();
    state.appeal = { open: "check" };
    saveState();
    showAppealsBox(buildCheckForm(appealsBox, "chat", onChatCheck));
  }
  function onChatCheck(appealData) {
    closeAppealsBox(false);
    addMessage({ who: "bot", kind: "appeal-status", appeal: appealData });
    var bubble = log.lastChild;
    bubble.setAttribute("tabindex", "-1");
    bubble.focus();
  }

  function buildCheckForm(container, place, onFound) {
    var id = uid + "-" + place + "-check";
    var f = { fields: {} };
    f.number = el("input", { id: id + "-number", className: "spw-input", type: "text", autocomplete: "off",
      autocapitalize: "characters", spellcheck: "false", maxlength: "40" });
    f.secret = el("input", { id: id + "-secret", className: "spw-input", type: "text", autocomplete: "off",
      spellcheck: "false", maxlength: "200" });
    f.error = el("p", { className: "spw-error", role: "alert" });
    f.submit = el("button", { type: "submit", className: "spw-send", text: "Проверить" });
    f.first = f.number;
    f.node = el("form", { className: "spw-form", novalidate: true, "aria-labelledby": id + "-title",
      onsubmit: function (event) { event.preventDefault(); checkStatus(f, onFound); } }, [
      el("div", { className: "spw-form-head" }, [
        el(place === "chat" ? "h3" : "h2", { id: id + "-title", className: "spw-subtitle", text: "Проверить обращение" }),
        place === "chat" ? el("button", { type: "button", className: "spw-close spw-close-small",
          "aria-label": "Закрыть проверку обращения", text: "×", onclick: function () { closeAppealsBox(true); } }) : null
      ]),
      appealField(f, "number", "Номер обращения", f.number),
      appealField(f, "secret", "Код доступа", f.secret, "Номер и код — в письме о регистрации обращения."),
      f.error, f.submit
    ]);
    container.appendChild(f.node);
    return f;
  }

  function checkStatus(f, onFound) {
    if (f.sending) return;
    f.error.textContent = "";
    var number = f.number.value.trim(), secret = f.secret.value.trim();
    setFieldError(f, "number", number ? "" : "Введите номер обращения.");
    setFieldError(f, "secret", secret ? "" : "Введите код доступа из письма.");
    if (!number || !secret) { (number ? f.secret : f.number).focus(); return; }
    markSending(f, "Проверяю обращение…");
    requestJson("POST", config.appealsUrl + "/status", { number: number, secret: secret }).then(function (result) {
      markSending(f, null);
      if (result.ok && result.body && result.body.number) { onFound(result.body); return; }
      f.error.textContent = plainMessage(result);
      f.number.focus();
    }, function () {
      markSending(f, null);
      f.error.textContent = "Нет связи с сервисом обращений. Попробуйте ещё раз через минуту.";
    });
  }

  // The staff's answer is plain text with line breaks (docs/appeals.md): shown as text, never as markup.
  function answerText(appealData) {
    var answer = appealData.answer;
    if (answer && typeof answer === "object") answer = answer.text;
    return typeof answer === "string" ? answer : (typeof appealData.answer_text === "string" ? appealData.answer_text : "");
  }

  function renderAppealStatus(box, appealData) {
    var status = STATUSES[appealData.status] || appealData.status || "";
    box.appendChild(el("p", { className: "spw-strong" }, ["Обращение № ", el("span", { className: "spw-code",
      text: appealData.number })]));
    var statusLine = box.appendChild(el("p", {}, ["Статус: ", el("strong", { text: status })]));
    // The appeal names its category by id; the title comes from the categories the form lists.
    loadCategories().then(function (categories) {
      var found = categories.filter(function (c) { return c.id === appealData.category; })[0];
      if (found) box.insertBefore(el("p", { text: "Тема: " + found.title }), statusLine);
    }, function () { /* no title: the status is what matters */ });
    if (appealData.status !== "answered" && appealData.status !== "closed") {
      var deadlines = deadlinesText(appealData, appealData.status === "registered");
      if (deadlines) box.appendChild(el("p", { text: deadlines }));
    }
    if (appealData.status === "waiting_customer") {
      box.appendChild(el("p", { text: "Ответьте на вопрос специалиста (он в истории ниже) " +
        (config.phone ? "по телефону " + config.phone + " " : "") + "или новым обращением с номером этого." }));
    }
    var text = answerText(appealData);
    if (text) {
      box.appendChild(el("p", { className: "spw-strong", text: "Ответ" }));
      box.appendChild(el("p", { className: "spw-answer", text: text }));
    }
    var history = Array.isArray(appealData.history) ? appealData.history : [];
    if (history.length) {
      box.appendChild(el("p", { className: "spw-note", text: "История:" }));
      var list = el("ul", { className: "spw-history" });
      history.forEach(function (entry) {
        var line = formatMoment(entry.at) + " — " + (STATUSES[entry.status] || entry.status || "");
        list.appendChild(el("li", { text: line + (entry.note ? ". " + entry.note : "") }));
      });
      box.appendChild(list);
    }
    return box;
  }

  /* ---------- on the help site: the reception page's form and the status page ---------- */

  // "#<number>.<secret>" (docs/appeals.md; also "#number=…&secret=…"): after "#", so neither reaches a
  // server's log (contract §7).
  function readFragment(hash) {
    var text = String(hash || "").replace(/^#/, "");
    var params = new URLSearchParams(text);
    var number = params.get("number"), secret = params.get("secret");
    if (!number && /^[^=&]+[./:][^=&]+$/.test(text)) {
      var parts = text.split(/[./:]/).map(function (part) {
        try { return decodeURIComponent(part); } catch (e) { return part; }
      });
      number = parts[0];
      secret = parts[1];
    }
    return number && secret ? { number: number.trim(), secret: secret.trim() } : null;
  }

  function mountAppealPages() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-spravka-appeals]"), function (host, i) {
      host.textContent = "";
      host.classList.add("spw", "spw-page");
      if (host.getAttribute("data-spravka-appeals") === "status") mountStatusPage(host, "page" + i);
      else buildAppealForm(host, "page" + i, { draft: {} });
    });
  }

  function mountStatusPage(host, place) {
    var result = el("div", { className: "spw-receipt", tabindex: "-1", "aria-live": "polite" });
    var again = el("button", { type: "button", className: "spw-tool", text: "Проверить другое обращение", hidden: true,
      onclick: function () { showForm(); f.number.value = ""; f.secret.value = ""; f.number.focus(); } });
    var f = buildCheckForm(host, place, function (appealData) { show(appealData, true); });
    host.appendChild(result);
    host.appendChild(el("p", {}, [again]));
    function show(appealData, focus) {
      result.textContent = "";
      renderAppealStatus(result, appealData);
      f.node.hidden = true;
      again.hidden = false;
      if (focus) result.focus();
    }
    function showForm() { f.node.hidden = false; again.hidden = true; result.textContent = ""; }
    // A link from the e-mail: the status at once, without a click (the focus stays where the page put it).
    function fromFragment() {
      var found = readFragment(location.hash);
      if (!found) return;
      showForm();
      f.number.value = found.number;
      f.secret.value = found.secret;
      checkStatus(f, function (appealData) { show(appealData, false); });
    }
    window.addEventListener("hashchange", fromFragment);
    fromFragment();
  }

  /* ---------- start: mount the widget once the page has a body ---------- */

  function mount() {
    if (!document.querySelector("link[data-spravka-widget-css]")) {
      document.head.appendChild(el("link", {
        rel: "stylesheet", href: data.css ? resolve(data.css, scriptUrl) : resolve("spravka.css", scriptUrl),
        "data-spravka-widget-css": true
      }));
    }
    if (data.color) root.style.setProperty("--spw-accent", data.color);
    document.body.appendChild(root);
    renderLog();
    if (state.readings && state.readings.open) {
      form = buildReadingsForm();
      readingsBox.hidden = false;
      readingsButton.hidden = true;
    }
    restoreAppealsBox();
    mountAppealPages();
    if (state.open) openPanel(false);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
