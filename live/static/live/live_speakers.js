/* Hands and speakers: speaker.queue_changed redraws the queue from its data, and shows this
 * person's raise or lower form as their place in it says. presence.changed: the console's count. */
(function () {
  "use strict";
  var page = window.SpoluPage;
  if (!page) return;

  page.on("speaker.queue_changed", function (data) {
    var list = document.querySelector("[data-speaker-list]");
    if (!list) return;
    list.textContent = "";
    var mine = false;
    data.speakers.forEach(function (speaker) {
      var row = page.clone("tpl-speaker");
      row.querySelector('[data-slot="name"]').textContent = speaker.name;
      row.querySelector("[data-speaking]").hidden = speaker.state !== "speaking";
      list.appendChild(row);
      if (speaker.id === page.attendance && speaker.state === "waiting") mine = true;
    });
    list.hidden = !data.speakers.length;
    var empty = document.querySelector("[data-speakers-empty]");
    if (empty) empty.hidden = data.speakers.length > 0;
    var lower = document.querySelector('form[data-hand="lower"]');
    var raise = document.querySelector('form[data-hand="raise"]');
    if (lower && raise) {
      var focused = lower.contains(document.activeElement) || raise.contains(document.activeElement);
      lower.hidden = !mine;
      raise.hidden = mine;
      if (focused) (mine ? lower : raise).querySelector("button").focus();
    }
    page.announce(page.strings["speaker.queue_changed"]);
  });

  page.on("session.snapshot", function (data) {
    document.querySelectorAll("[data-presence]").forEach(function (node) {
      node.textContent = data.presence;
    });
  });

  page.on("presence.changed", function (data) {
    document.querySelectorAll("[data-presence]").forEach(function (node) {
      node.textContent = data.count;
    });
  });
})();
