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
