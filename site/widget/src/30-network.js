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
