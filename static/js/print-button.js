// Buttons marked data-print open the browser's print dialog. They are hidden in the HTML and shown
// here, so a page without JavaScript offers no button that does nothing (Ctrl+P still works).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
