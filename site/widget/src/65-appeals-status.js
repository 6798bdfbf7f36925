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
