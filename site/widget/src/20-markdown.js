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
