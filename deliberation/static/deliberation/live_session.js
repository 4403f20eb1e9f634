/* Live session pages (participant, console, projector): keep the page in step over the
 * session socket. The page works without this script: every action is a form post. With it,
 * those forms go over the socket, durable events refresh the changed parts of the page from
 * the server (one source of truth: the templates), tallies and upvotes update in place, the
 * timer counts down locally, and changes are announced through an ARIA live region. */
(function () {
  "use strict";

  var config = document.querySelector("[data-live-config]");
  if (!config || !window.WebSocket || !window.SpoluLive) return;
  var strings = JSON.parse(document.getElementById("live-strings").textContent);
  var announcer = document.querySelector("[data-announcer]");
  var banner = document.querySelector("[data-connection]");
  var INT_FIELDS = { ballot: 1, item: 1, question: 1 };

  function announce(text) {
    if (!text || !announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // --- Refreshing the live parts from the server ----------------------------------------
  var refreshTimer = null;
  // In a big room every participant re-reads the page after an event: spread those requests
  // over a second so they do not all reach the server at once. The console stays immediate.
  var spread = config.getAttribute("data-view") === "console" ? 0 : 1000;
  function scheduleRefresh(now) {
    // A refresh already waiting to start will read the newest state anyway.
    if (refreshTimer !== null && !now) return;
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      refresh();
    }, now ? 50 : 150 + Math.random() * spread);
  }

  function isBusy(part) {
    // Never throw away what someone is typing.
    var active = document.activeElement;
    if (active && part.contains(active) && /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName) &&
        active.type !== "submit" && active.type !== "radio" && active.type !== "checkbox") {
      return true;
    }
    var fields = part.querySelectorAll("textarea, input[type=text], input[type=number]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }

  function focusKey(element) {
    var form = element.closest("form");
    if (!form) return element.id ? "#" + element.id : null;
    var hidden = Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken])"),
      function (input) { return input.name + "=" + input.value; }
    );
    return (form.getAttribute("data-command") || "") + "|" + hidden.join("&");
  }

  function findByKey(root, key) {
    if (!key) return null;
    if (key.charAt(0) === "#") return root.querySelector(key);
    var forms = root.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      var button = forms[i].querySelector("button, [type=submit]");
      if (button && focusKey(button) === key) return button;
    }
    return null;
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-part]").forEach(function (part) {
          var replacement = fresh.getElementById(part.id);
          if (!replacement || isBusy(part)) return;
          var active = document.activeElement;
          var key = active && part.contains(active) ? focusKey(active) : null;
          part.replaceWith(replacement);
          if (key) {
            var target = findByKey(replacement, key) || replacement.querySelector("h2");
            if (target) {
              if (target.tagName === "H2") target.setAttribute("tabindex", "-1");
              target.focus();
            }
          }
        });
        startTimers();
      })
      .catch(function () { /* the next event or reconnect will try again */ });
  }

  // --- In-place updates for the frequent ephemeral frames --------------------------------
  function applyTally(data) {
    var list = document.querySelector('[data-tally="' + data.ballot + '"]');
    if (!list) return;
    var total = 0;
    Object.keys(data.counts).forEach(function (id) { total += data.counts[id]; });
    Object.keys(data.counts).forEach(function (id) {
      var row = list.querySelector('[data-option="' + id + '"]');
      if (!row) return;
      row.querySelector("[data-count]").textContent = data.counts[id];
      var bar = row.querySelector("[data-bar]");
      if (bar) bar.style.width = (total ? Math.round((100 * data.counts[id]) / total) : 0) + "%";
    });
    var totalNode = document.querySelector('[data-total="' + data.ballot + '"]');
    if (totalNode) totalNode.textContent = data.total;
  }

  function applyUpvotes(data) {
    document.querySelectorAll('[data-question="' + data.question + '"] [data-upvotes]')
      .forEach(function (node) { node.textContent = data.upvotes; });
  }

  // --- The timer counts down locally to its deadline -------------------------------------
  var ticking = null;
  function startTimers() {
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
          announce(strings.timer_done);
        }
      });
    }
    tick();
    ticking = window.setInterval(tick, 1000);
  }

  // --- The socket (static/js/live.js: snapshot, resume, reconnect with jittered backoff) --
  var live = window.SpoluLive.connect(config.getAttribute("data-ws-path"), {
    status: banner,
    announcer: announcer,
    texts: { reconnecting: strings.reconnecting, connected: strings.connected },
  });
  var snapshots = 0;
  live.on("session.snapshot", function () {
    document.documentElement.setAttribute("data-live", "connected");
    snapshots += 1;
    if (snapshots > 1) {
      // Back after a drop: live.js resumes the missed events; the page re-reads its state.
      announce(strings.connected);
      scheduleRefresh(true);
    }
  });
  live.on("ballot.tally", applyTally);
  live.on("question.upvotes", applyUpvotes);
  live.on("error", function (data) {
    if (data.code === "conflict" && !data.ref) scheduleRefresh(true);
  });
  Object.keys(strings).forEach(function (type) {
    if (type.indexOf(".") < 0) return; // the other strings are not event types
    live.on(type, function (data) {
      announce(strings[type]);
      scheduleRefresh();
      if (type === "session.state_changed" && data.state === "closed") {
        window.setTimeout(function () { window.location.reload(); }, 400);
      }
    });
  });

  // --- Forms go over the socket when it is open ------------------------------------------
  function commandData(form) {
    var data = {}, choice = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "next" || name === "action") return;
      if (name === "choice") { choice.push(value); return; }
      if (name === "minutes") { data.seconds = parseInt(value, 10) * 60; return; }
      data[name] = INT_FIELDS[name] ? parseInt(value, 10) : value;
    });
    if (form.getAttribute("data-command") === "vote.cast") data.choice = choice;
    return data;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var type = form.getAttribute("data-command");
    if (!type || document.documentElement.getAttribute("data-live") !== "connected") return;
    var confirmText = form.getAttribute("data-confirm");
    if (confirmText && !window.confirm(confirmText)) { event.preventDefault(); return; }
    event.preventDefault();
    live.send(type, commandData(form)).then(function () {
      var old = form.querySelector("[data-form-error]");
      if (old) old.remove();
      form.querySelectorAll("textarea").forEach(function (field) {
        if (type === "question.ask") { field.value = ""; field.defaultValue = ""; }
      });
      form.querySelectorAll("textarea, input[type=text], input[type=number]").forEach(function (field) {
        field.defaultValue = field.value;
      });
      scheduleRefresh(true);
    }, function (error) {
      // Not connected after all: the form does what it does without this script.
      if (error.code === "disconnected") { form.submit(); return; }
      announce(error.message);
      var note = form.querySelector("[data-form-error]");
      if (!note) {
        note = document.createElement("p");
        note.className = "message message-error";
        note.setAttribute("data-form-error", "");
        form.appendChild(note);
      }
      note.textContent = error.message;
    });
  });

  startTimers();
})();
