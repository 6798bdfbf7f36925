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
