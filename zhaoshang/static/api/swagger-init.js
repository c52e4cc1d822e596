// Starts Swagger UI with the settings the page carries; "Try it out" sends the session's CSRF token.
(function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.getAttribute("data-csrf-token");
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (token) {
      request.headers["X-CSRFToken"] = token;
    }
    return request;
  };
  window.ui = SwaggerUIBundle(settings);
})();
