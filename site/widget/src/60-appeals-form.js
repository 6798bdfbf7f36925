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
