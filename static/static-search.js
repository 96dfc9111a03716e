// certwise search for the static export (`certwise export`): the search page
// (`/{locale}/search?q=…`) answers from the locale's index `/{locale}/search-index.json`,
// which the export writes from the same records as the live search (`search::plain_records`).
// The rules are the live ones where a browser can follow them: exam codes are found however
// typed (letter-and-digit runs, alone or two or three joined, compared with the codes'
// compact form, so `md102`, `MD 102` and `md-102` all name MD-102); every other word must
// begin a word of the record (lower-cased, accents folded); when that finds nothing, any word
// may match, best first. Results are grouped as on the live site. Without JavaScript the page
// shows the search form only.
(function () {
  "use strict";
  var KINDS = ["answer", "certification", "course", "topic"];
  var PER_GROUP = 20;
  var form = document.querySelector("form.search-page");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var q = new URLSearchParams(location.search).get("q") || "";
  if (!input || !q.trim()) return;
  input.value = q;
  var locale = input.getAttribute("data-suggest") || document.documentElement.lang;

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function runs(s) {
    return fold(s).match(/[\p{L}\p{N}]+/gu) || [];
  }

  // The query as codes (compact forms the catalog knows) and words.
  function read(text, codes) {
    var r = runs(text);
    var out = { codes: [], words: [] };
    for (var i = 0; i < r.length;) {
      var found = 0;
      for (var n = Math.min(3, r.length - i); n >= 1 && !found; n--) {
        var joined = r.slice(i, i + n).join("");
        if (codes.has(joined)) {
          out.codes.push(joined);
          found = n;
        }
      }
      if (found) i += found;
      else out.words.push(r[i++]);
    }
    return out;
  }

  function hasWord(record, word) {
    return record.words.some(function (w) { return w.lastIndexOf(word, 0) === 0; });
  }

  // How many of the query's codes and words the record has; an own-code hit counts most,
  // then a code its title names (the answer about MD-102 before one that mentions it).
  function score(record, query) {
    var hits = 0;
    var title = runs(record.title);
    var compactTitle = title.join("");
    query.codes.forEach(function (c) {
      if (record.codes.indexOf(c) >= 0) hits += record.kind === "answer" ? 1 : 3;
      if (compactTitle.indexOf(c) >= 0) hits += 1;
    });
    query.words.forEach(function (w) {
      if (hasWord(record, w)) hits += 1;
      if (title.some(function (t) { return t.lastIndexOf(w, 0) === 0; })) hits += 1;
    });
    return hits;
  }

  function matchesAll(record, query) {
    return query.codes.every(function (c) { return record.codes.indexOf(c) >= 0; }) &&
      query.words.every(function (w) { return hasWord(record, w); });
  }

  function el(name, attrs, text) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(index, query) {
    var all = query.codes.length + query.words.length > 0;
    var found = all ? index.records.filter(function (r) { return matchesAll(r, query); }) : [];
    if (!found.length && query.codes.length + query.words.length > 1) {
      found = index.records.filter(function (r) { return score(r, query) > 0; });
    }
    var ranked = found.map(function (r, i) { return { r: r, s: score(r, query), i: i }; })
      .sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    var labels = index.labels;
    var h1 = document.querySelector("main h1");
    if (h1) {
      h1.textContent = labels.results_for + " ";
      h1.appendChild(el("q", {}, q));
    }
    var out = el("div", { id: "static-results" });
    out.appendChild(el("p", { class: "search-summary", role: "status" }, found.length ? labels.summary.replace("{count}", found.length) : labels.nothing));
    KINDS.forEach(function (kind) {
      var items = ranked.filter(function (x) { return x.r.kind === kind; }).slice(0, PER_GROUP);
      if (!items.length) return;
      var section = el("section", { class: "search-group", "aria-labelledby": "results-" + kind });
      section.appendChild(el("h2", { id: "results-" + kind }, labels[kind]));
      var list = el("ol", { class: "search-results" });
      items.forEach(function (x) {
        var li = el("li");
        li.appendChild(el("a", { href: x.r.url }, x.r.title));
        if (x.r.excerpt) li.appendChild(el("p", {}, x.r.excerpt));
        list.appendChild(li);
      });
      section.appendChild(list);
      out.appendChild(section);
    });
    var old = document.getElementById("static-results");
    if (old) old.remove();
    form.insertAdjacentElement("afterend", out);
  }

  fetch("/" + encodeURIComponent(locale) + "/search-index.json", { credentials: "same-origin" })
    .then(function (res) {
      if (!res.ok) throw new Error("search index: " + res.status);
      return res.json();
    })
    .then(function (index) {
      show(index, read(q, new Set(index.codes)));
    })
    .catch(function () { /* the page keeps its form */ });
})();
