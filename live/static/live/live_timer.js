/* The timer: timer.changed draws or removes it; it counts down locally to its deadline. */
(function () {
  "use strict";
  var page = window.SpoluPage;
  if (!page) return;
  var ticking = null;

  function start() {
    window.clearInterval(ticking);
    var nodes = document.querySelectorAll("[data-timer-ends]");
    if (!nodes.length) return;
    function tick() {
      nodes.forEach(function (node) {
        var left = Math.max(0, Math.round((Date.parse(node.getAttribute("data-timer-ends")) - Date.now()) / 1000));
        var minutes = Math.floor(left / 60), seconds = left % 60;
        node.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
        if (left === 0 && !node.hasAttribute("data-done")) {
          node.setAttribute("data-done", "");
          page.announce(page.strings.timer_done);
        }
      });
    }
    tick();
    ticking = window.setInterval(tick, 1000);
  }

  page.on("timer.changed", function (data) {
    var box = document.getElementById("part-timer");
    if (!box) return;
    box.textContent = "";
    if (data.running && data.ends_at) {
      var fragment = page.clone("tpl-timer");
      var time = fragment.querySelector("[data-timer-ends]");
      time.setAttribute("data-timer-ends", data.ends_at);
      time.setAttribute("datetime", data.ends_at);
      box.appendChild(fragment);
    }
    start();
    page.announce(page.strings["timer.changed"]);
  });
  start();
})();
