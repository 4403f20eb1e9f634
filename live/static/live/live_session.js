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
  // over a window that grows with the room (attendees ÷ the rate the servers take, at least a
  // second), so they never crowd out votes and tallies. The console stays immediate.
  var isConsole = config.getAttribute("data-view") === "console";
  var refreshRate = Number(config.getAttribute("data-refresh-rate")) || 60;
  var spread = isConsole ? 0 : 1000;
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
    // Nor a vote half made: boxes ticked or ranks picked but not yet sent.
    var boxes = part.querySelectorAll("input[type=radio], input[type=checkbox]");
    for (var j = 0; j < boxes.length; j++) {
      if (boxes[j].checked !== boxes[j].defaultChecked) return true;
    }
    var selects = part.querySelectorAll("select");
    for (var k = 0; k < selects.length; k++) {
      var initial = 0;
      for (var n = 0; n < selects[k].options.length; n++) {
        if (selects[k].options[n].defaultSelected) initial = n;
      }
      if (selects[k].selectedIndex !== initial) return true;
    }
    return false;
  }

  function keepAsSent(form) {
    // What was sent is now the form's starting point, so a refresh may redraw it.
    form.querySelectorAll("textarea, input[type=text], input[type=number]").forEach(function (field) {
      field.defaultValue = field.value;
    });
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (box) {
      box.defaultChecked = box.checked;
    });
    form.querySelectorAll("select option").forEach(function (option) {
      option.defaultSelected = option.selected;
    });
  }

  function focusKey(element) {
    var form = element.closest("form");
    if (!form) return element.id ? "#" + element.id : null;
    var hidden = Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken]):not([name=key])"),
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
        showVoteNotes();
        updateBudgets();
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

  // --- The socket (realtime/static/realtime/live.js: snapshot, resume, reconnect with jittered backoff) --
  var live = window.SpoluLive.connect(config.getAttribute("data-ws-path"), {
    status: banner,
    announcer: announcer,
    texts: { reconnecting: strings.reconnecting, connected: strings.connected },
  });
  var snapshots = 0;
  live.on("session.snapshot", function (data) {
    if (!isConsole) spread = Math.max(1000, (1000 * data.presence) / refreshRate);
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

  // --- Votes: voting's own fields, whose values are the protocol's option ids -------------
  function voteChoice(form) {
    var method = form.getAttribute("data-method");
    if (method === "score" || method === "dots") {
      var amounts = {}, prefix = method + "_";
      form.querySelectorAll('input[name^="' + prefix + '"]').forEach(function (input) {
        if (input.value.trim() !== "") amounts[input.name.slice(prefix.length)] = Number(input.value);
      });
      return amounts;
    }
    if (method === "ranked") {
      // The rank selects come in order of preference; empty lower positions are left out.
      return Array.prototype.map.call(form.querySelectorAll('select[name^="rank_"]'), function (select) {
        return select.value;
      }).filter(Boolean);
    }
    var data = new FormData(form);
    return data.getAll("option").concat(data.getAll("options"));
  }

  function updateBudgets() {
    document.querySelectorAll("[data-budget]").forEach(function (status) {
      var spent = 0;
      status.closest("form").querySelectorAll("input[data-cost]:checked").forEach(function (box) {
        spent += Number(box.getAttribute("data-cost"));
      });
      status.querySelector("[data-budget-spent]").textContent = spent;
      status.querySelector("[data-budget-over]").hidden = spent <= Number(status.getAttribute("data-budget"));
      status.hidden = false;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-cost")) updateBudgets();
  });

  // The server's last word on each ballot's vote, put back when a refresh redraws the form.
  var voteNotes = {};
  function showNote(form, text, kind) {
    var note = form.querySelector("[data-form-note]");
    if (!note) {
      note = document.createElement("p");
      note.setAttribute("data-form-note", "");
      form.appendChild(note);
    }
    note.className = "message message-" + kind;
    note.textContent = text;
  }
  function showVoteNotes() {
    document.querySelectorAll('form[data-command="vote.cast"]').forEach(function (form) {
      var note = voteNotes[form.elements.ballot.value];
      if (note) showNote(form, note.text, note.kind);
    });
  }

  // --- Forms go over the socket when it is open ------------------------------------------
  function commandData(form) {
    var data = {};
    if (form.getAttribute("data-command") === "vote.cast") {
      return {
        ballot: parseInt(form.elements.ballot.value, 10),
        key: form.elements.key.value,
        choice: voteChoice(form),
      };
    }
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "next" || name === "action") return;
      if (name === "minutes") { data.seconds = parseInt(value, 10) * 60; return; }
      data[name] = INT_FIELDS[name] ? parseInt(value, 10) : value;
    });
    return data;
  }

  function replied(form, type, text, kind) {
    announce(text);
    showNote(form, text, kind);
    if (type === "vote.cast") voteNotes[form.elements.ballot.value] = { text: text, kind: kind };
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var type = form.getAttribute("data-command");
    if (!type || document.documentElement.getAttribute("data-live") !== "connected") return;
    var confirmText = form.getAttribute("data-confirm");
    if (confirmText && !window.confirm(confirmText)) { event.preventDefault(); return; }
    event.preventDefault();
    var data = commandData(form);
    if (type === "vote.cast" && Array.isArray(data.choice) && !data.choice.length &&
        /^(yes_no|single)$/.test(form.getAttribute("data-method"))) {
      replied(form, type, strings.choose_option, "error");
      return;
    }
    sendCommand(form, type, data, 0);
  });

  // A vote the server's queue had no room for changed nothing: it goes again after the hint,
  // with the same key, so that it counts once however many tries it takes.
  var VOTE_RETRIES = 5;

  function sendCommand(form, type, data, tries) {
    live.send(type, data).then(function (ack) {
      var old = form.querySelector("[data-form-note]");
      if (old) old.remove();
      form.querySelectorAll("textarea").forEach(function (field) {
        if (type === "question.ask") { field.value = ""; field.defaultValue = ""; }
      });
      keepAsSent(form);
      if (type === "vote.cast") {
        replied(form, type, strings.vote_counted.replace("%(code)s", ack.receipt), "success");
        // A changed vote sent from this same form is a new vote, not a retry of this one.
        form.elements.key.value = data.key.split("~")[0] + "~" + Date.now().toString(36);
        // Off the field just sent (a focused field holds its part back from the refresh that
        // shows the vote as counted) and onto the button, where the redrawn form keeps it.
        var button = form.querySelector("[type=submit]");
        if (button && form.contains(document.activeElement)) button.focus();
      }
      // The ack already tells the voter; the part that shows their vote in words can wait
      // its turn in the room's spread, as in a big room everyone votes at once.
      scheduleRefresh(type !== "vote.cast");
    }, function (error) {
      // Not connected after all: the form does what it does without this script.
      if (error.code === "disconnected") { form.submit(); return; }
      if (error.code === "rate_limited" && error.retry_after_ms !== undefined &&
          /^vote\./.test(type) && tries < VOTE_RETRIES) {
        announce(strings.vote_retrying);
        showNote(form, strings.vote_retrying, "info");
        window.setTimeout(function () { sendCommand(form, type, data, tries + 1); },
          error.retry_after_ms);
        return;
      }
      replied(form, type, error.message, "error");
    });
  }

  startTimers();
  updateBudgets();
})();
