// The language switch changes the language as soon as one is chosen. Without this script (or
// before it runs) the form's own button does the same, so the switch never depends on it.
"use strict";
document.querySelectorAll("form.language-switcher").forEach((form) => {
  const select = form.querySelector("select");
  const button = form.querySelector("button[type=submit]");
  if (!select || !button) return;
  button.hidden = true;
  select.addEventListener("change", () => form.requestSubmit(button));
});
