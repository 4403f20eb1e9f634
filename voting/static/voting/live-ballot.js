/* A ballot's page with its live count: drawn from the snapshot, updated by each tally. */
(function () {
  "use strict";
  var script = document.currentScript;
  var t = script.dataset;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return String(values[key]);
    });
  }

  function start() {
    var labels = {};
    var section = null;
    var live = window.SpoluLive.connect(t.path, {
      status: document.getElementById("live-status"),
      announcer: document.getElementById("live-announcer"),
      texts: { reconnecting: t.reconnecting },
    });

    function draw(counts, total) {
      if (!section) {
        section = document.createElement("section");
        section.className = "live-tally card";
        section.setAttribute("aria-labelledby", "live-tally-title");
        var heading = document.createElement("h2");
        heading.id = "live-tally-title";
        heading.textContent = t.title;
        section.append(heading, document.createElement("ul"), document.createElement("p"));
        var h1 = document.querySelector("main h1");
        if (h1) h1.after(section);
        else document.querySelector("main").prepend(section);
      }
      var list = section.querySelector("ul");
      list.replaceChildren();
      Object.keys(counts).forEach(function (id) {
        var row = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = labels[id] || id;
        var count = document.createElement("strong");
        count.textContent = counts[id];
        row.append(label, count);
        list.append(row);
      });
      section.querySelector("p").textContent = format(t.total, { count: total });
    }

    function closed() {
      var link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = t.reload;
      if (section) section.append(link);
      live.announce(t.closed);
    }

    live.on("session.snapshot", function (data) {
      data.ballot.options.forEach(function (option) {
        labels[option.id] = option.label;
      });
      if (data.ballot.tally) draw(data.ballot.tally.counts, data.ballot.tally.total);
    });
    live.on("ballot.opened", function (data) {
      data.ballot.options.forEach(function (option) {
        labels[option.id] = option.label;
      });
      live.announce(t.opened);
    });
    live.on("ballot.tally", function (data) {
      draw(data.counts, data.total);
      if (data.final) closed();
    });
    live.on("ballot.closed", function (data) {
      if (data.tally) draw(data.tally.counts, data.tally.total);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
