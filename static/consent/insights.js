// A harmless first-party stand-in for an analytics service, for the sample site and
// the tests: it sets the cookie the service declares and marks the page.
(function () {
  document.cookie = "cw_insights=1; Path=/; Max-Age=" + 395 * 86400 + "; SameSite=Lax";
  document.documentElement.setAttribute("data-insights", "loaded");
})();
