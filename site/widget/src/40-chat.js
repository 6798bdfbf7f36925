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
