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
