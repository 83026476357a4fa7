/* Starts the vendored Swagger UI on /api/v1/docs (no inline script: CSP script-src 'self').
   The settings come from the page's JSON block; unsafe requests carry the page's CSRF token
   (the session's CSRF cookie is HttpOnly, so it is taken from the page, as forms do). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (req) {
    if (token) { req.headers["X-CSRFToken"] = token; }
    return req;
  };
  window.SwaggerUIBundle(config);
})();
