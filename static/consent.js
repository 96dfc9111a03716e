// certwise consent: enhances the plain HTML forms, which work without this file.
// Choices are sent with fetch; the banner goes without a reload, and the page reloads
// only when the choices changed, so granted scripts load and revoked ones stop.
(function () {
  "use strict";
  var banner = document.getElementById("consent-banner");
  var dialog = document.getElementById("consent-dialog");
  var customize = document.getElementById("consent-customize");

  function status(form, text) {
    var s = form.querySelector(".consent-status");
    if (s) s.textContent = text;
  }

  function fallback(form, submitter) {
    // Submit the plain form, keeping the button's action.
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function send(form, submitter) {
    var data = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    data.set("js", "1");
    // Not `form.action`: the buttons named "action" shadow that property.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (res) {
      if (!res.ok) throw new Error("consent: " + res.status);
      return res.json();
    }).then(function (result) {
      if (result.reload) {
        location.reload();
        return;
      }
      var wasInDialog = dialog && dialog.open && dialog.contains(form);
      if (dialog && dialog.open) dialog.close();
      if (banner) {
        banner.remove();
        banner = null;
        var main = document.getElementById("main");
        if (main) {
          main.setAttribute("tabindex", "-1");
          main.focus();
        }
      } else if (!wasInDialog) {
        status(form, form.getAttribute("data-saved") || "");
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-consent]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var submitter = event.submitter;
      send(form, submitter).catch(function () { fallback(form, submitter); });
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
