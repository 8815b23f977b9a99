// Printable pages: a button that opens the browser's print dialog (no inline handler).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
