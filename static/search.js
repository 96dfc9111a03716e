// Suggestions as the reader types, for every search box marked `data-suggest="{locale}"`:
// an ARIA 1.2 combobox (the input) controlling a listbox of results from
// `/api/v1/search`. Arrow keys move through the suggestions, Enter opens the active one
// (or submits the form when none is active), Escape closes the list; a click opens one.
// Without this script the box is a plain GET form to the results page.
(function () {
  "use strict";
  var DEBOUNCE = 150;
  var LIMIT = 8;

  function enhance(input) {
    var form = input.form;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "Suggestions");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (form) form.classList.add("has-suggest");

    var timer = null;
    var pending = null;
    var items = [];
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(i) {
      var options = list.querySelectorAll("[role=option]");
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // The title as text nodes, with the matching characters in <mark>: nothing from the
    // server is read as HTML.
    function marked(text, ranges) {
      var chars = Array.from(text);
      var out = document.createDocumentFragment();
      var at = 0;
      ranges.forEach(function (r) {
        if (r[0] < at || r[1] > chars.length) return;
        out.appendChild(document.createTextNode(chars.slice(at, r[0]).join("")));
        var m = document.createElement("mark");
        m.textContent = chars.slice(r[0], r[1]).join("");
        out.appendChild(m);
        at = r[1];
      });
      out.appendChild(document.createTextNode(chars.slice(at).join("")));
      return out;
    }

    function show(results) {
      items = results;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!items.length) {
        close();
        return;
      }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.kind = item.kind;
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.appendChild(marked(item.title, item.highlights.title));
        li.appendChild(title);
        if (item.excerpt) {
          var excerpt = document.createElement("span");
          excerpt.className = "suggest-excerpt";
          excerpt.appendChild(marked(item.excerpt, item.highlights.excerpt));
          li.appendChild(excerpt);
        }
        li.addEventListener("mousedown", function (e) {
          e.preventDefault(); // keep the focus in the input
        });
        li.addEventListener("click", function () {
          window.location.assign(item.url);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2 || q.length > 200) {
        close();
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      var url = "/api/v1/search?limit=" + LIMIT + "&locale=" + encodeURIComponent(input.dataset.suggest) +
        "&q=" + encodeURIComponent(q);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (body) {
          if (input.value.trim() === q && document.activeElement === input) show(body.items || []);
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DEBOUNCE);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) {
          if (items.length) show(items); else ask();
          return;
        }
        setActive(active + 1 < items.length ? active + 1 : 0);
      } else if (e.key === "ArrowUp") {
        if (!open) return;
        e.preventDefault();
        setActive(active > 0 ? active - 1 : items.length - 1);
      } else if (e.key === "Enter") {
        if (open && active >= 0 && items[active]) {
          e.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (e.key === "Escape") {
        if (open) {
          e.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
