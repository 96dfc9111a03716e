// A harmless first-party stand-in for a marketing service, for the sample site and
// the tests: it sets the cookie the service declares and marks the page.
(function () {
  document.cookie = "cw_campaign=1; Path=/; Max-Age=" + 90 * 86400 + "; SameSite=Lax";
  document.documentElement.setAttribute("data-campaigns", "loaded");
})();
