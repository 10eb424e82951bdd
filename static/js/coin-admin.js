// The coin form's groups collapse (Django renders them as <details>); the everyday ones start open.
// No inline script (the site's CSP): this file is loaded by CoinAdmin's Media.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("fieldset.start-open details").forEach(function (group) {
    group.open = true;
  });
});
