/* The projector's "Full screen" button. It stays hidden where the browser cannot go full
   screen (or runs no script); Esc leaves full screen as usual, and the button follows. */
(function () {
  "use strict";
  var button = document.querySelector("[data-fullscreen]");
  if (!button || !document.fullscreenEnabled) return;

  function follow() {
    button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      // Refused (no user gesture, a policy): the page simply stays as it is.
      document.documentElement.requestFullscreen().catch(follow);
    }
  });
  document.addEventListener("fullscreenchange", follow);
  follow();
})();
