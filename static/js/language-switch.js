// The language switch changes the language as soon as one is chosen. Without this script (or
// before it runs) the form's own button does the same, so the switch never depends on it.
//
// A closed select on a desktop browser changes its value on each arrow key: switching then
// would reload the page at the first key, before the person reaches the language they want
// (WCAG 3.2.2). So a choice made with the keyboard waits for Enter or for leaving the field;
// a choice made with a pointer or a phone's picker applies at once.
"use strict";
const STEPPING_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

document.querySelectorAll("form.language-switcher").forEach((form) => {
  const select = form.querySelector("select");
  const button = form.querySelector("button[type=submit]");
  if (!select || !button) return;
  button.hidden = true;
  const current = select.value;
  let stepping = false;
  const submitIfChanged = () => {
    if (select.value !== current) form.requestSubmit(button);
  };
  select.addEventListener("keydown", (event) => {
    if (STEPPING_KEYS.has(event.key)) stepping = true;
    else if (event.key === "Enter") {
      event.preventDefault();
      submitIfChanged();
    }
  });
  select.addEventListener("change", () => {
    if (!stepping) submitIfChanged();
  });
  select.addEventListener("blur", () => {
    if (stepping) submitIfChanged();
    stepping = false;
  });
});
