// certwise consent for the static export (`certwise export`): there is no server to
// decide, so the browser does. Non-essential services are in the page inert, as
// `<script type="text/plain" data-consent="CATEGORY" data-src="…">`; this script turns
// those of the granted categories into real scripts, and does nothing else until the
// visitor decides. The decision (policy version, categories, time) is kept in
// localStorage under "certwise-consent", on this device only: no proof-of-consent record
// exists without a server. A new policy version asks again; `navigator.globalPrivacyControl`
// counts as a refusal, as `Sec-GPC: 1` does on the live site. Without JavaScript the banner
// and forms stay hidden and no service loads.
(function () {
  "use strict";
  var KEY = "certwise-consent";
  var LIFETIME = 180 * 86400 * 1000;
  var me = document.currentScript;
  var policy = (me && me.getAttribute("data-policy")) || "";
  var banner = document.getElementById("consent-banner");
  var dialog = document.getElementById("consent-dialog");
  var customize = document.getElementById("consent-customize");

  function read() {
    try {
      var d = JSON.parse(localStorage.getItem(KEY) || "null");
      if (!d || d.policy !== policy || typeof d.at !== "number" || Date.now() - d.at > LIFETIME) return null;
      return Array.isArray(d.categories) ? d : null;
    } catch (e) {
      return null;
    }
  }

  function store(categories) {
    try {
      localStorage.setItem(KEY, JSON.stringify({ policy: policy, categories: categories, at: Date.now() }));
      return true;
    } catch (e) {
      return false;
    }
  }

  function forget() {
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
  }

  // Turns the inert scripts of `categories` into scripts, once each.
  function activate(categories) {
    Array.prototype.forEach.call(document.querySelectorAll("script[type='text/plain'][data-consent]"), function (inert) {
      if (categories.indexOf(inert.getAttribute("data-consent")) < 0 || inert.hasAttribute("data-active")) return;
      var s = document.createElement("script");
      s.src = inert.getAttribute("data-src");
      s.async = true;
      inert.setAttribute("data-active", "");
      inert.parentNode.insertBefore(s, inert.nextSibling);
    });
  }

  function tick(categories) {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-consent] input[name=category]"), function (box) {
      box.checked = categories.indexOf(box.value) >= 0;
    });
  }

  function status(form, text) {
    var s = form.querySelector(".consent-status");
    if (s) s.textContent = text;
  }

  function closeBanner() {
    if (dialog && dialog.open) dialog.close();
    if (banner) {
      banner.remove();
      banner = null;
      var main = document.getElementById("main");
      if (main) main.focus();
    }
  }

  var decided = read();
  var gpc = navigator.globalPrivacyControl === true;
  var granted = decided ? decided.categories : [];
  tick(granted);
  activate(granted);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-consent]"), function (form) {
    form.hidden = false;
    var withdraw = form.querySelector("button[value=withdraw]");
    if (withdraw && !decided) withdraw.hidden = true;
  });
  if (banner && !decided && !gpc) banner.hidden = false;

  Array.prototype.forEach.call(document.querySelectorAll("form[data-consent]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var action = event.submitter ? event.submitter.value : "custom";
      // Every category the page knows: the settings' boxes and the inert services.
      var all = [];
      Array.prototype.forEach.call(document.querySelectorAll("input[name=category], script[data-consent]"), function (e) {
        var c = e.getAttribute("data-consent") || e.value;
        if (all.indexOf(c) < 0) all.push(c);
      });
      var next;
      if (action === "accept_all") next = all;
      else if (action === "reject_all" || action === "withdraw") next = [];
      else next = Array.prototype.filter.call(form.querySelectorAll("input[name=category]"), function (b) { return b.checked; })
        .map(function (b) { return b.value; });
      var revoked = granted.some(function (c) { return next.indexOf(c) < 0; });
      if (action === "withdraw") forget();
      else store(next);
      if (revoked) {
        // The revoked services' declared first-party cookies go, as the server expires them:
        // each declared name, and the names the browser holds that extend one with a dot
        // (`_pk_id` → `_pk_id.1.abcd`; domain::consent::cookies_to_expire).
        var held = document.cookie.split(";").map(function (c) { return c.split("=")[0].trim(); });
        Array.prototype.forEach.call(document.querySelectorAll("script[type='text/plain'][data-consent]"), function (inert) {
          if (next.indexOf(inert.getAttribute("data-consent")) >= 0) return;
          (inert.getAttribute("data-cookies") || "").split(" ").forEach(function (name) {
            if (!name) return;
            held.filter(function (h) { return h === name || h.lastIndexOf(name + ".", 0) === 0; })
              .concat([name])
              .forEach(function (n) { document.cookie = n + "=; Path=/; Max-Age=0; SameSite=Lax"; });
          });
        });
        // A running script cannot be unloaded: start again without it.
        location.reload();
        return;
      }
      granted = next;
      tick(granted);
      activate(granted);
      var inDialog = dialog && dialog.contains(form);
      closeBanner();
      if (!inDialog) status(form, form.getAttribute("data-saved") || "");
    });
  });

  if (dialog && customize && typeof dialog.showModal === "function") {
    customize.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      var first = dialog.querySelector("input[type=checkbox]") || dialog.querySelector("button");
      if (first) first.focus();
    });
    dialog.addEventListener("close", function () {
      if (customize.isConnected) customize.focus();
    });
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-consent-close]"), function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
  }
})();
