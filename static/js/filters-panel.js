// The filter panel (templates/includes/filters_panel.html) once JavaScript runs: open beside the
// results on a wide screen (for browsers that cannot show a closed <details>' content by CSS), the
// "apply" button says how many results there are (the count is kept current by the HTMX swaps), and
// applying on a phone closes the panel over the results. Without JavaScript the panel still opens,
// closes and submits: this only adds to it.
const wide = window.matchMedia("(min-width: 900px)");
document.querySelectorAll("details.filters-panel").forEach((panel) => {
  panel.open = wide.matches;
  wide.addEventListener("change", () => { panel.open = wide.matches; });
  panel.querySelectorAll(".apply-count").forEach((count) => { count.hidden = false; });
  const form = panel.querySelector("form");
  if (form) {
    form.addEventListener("submit", () => { if (!wide.matches) panel.open = false; });
  }
});
