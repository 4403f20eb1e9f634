/* Live session pages (participant, console, projector): keep the page in step over the
 * session socket. The page works without this script: every action is a form post. With it,
 * those forms go over the socket, and every event of the session stream is applied in place
 * from its own data by the element modules (live_agenda.js, live_ballots.js,
 * live_questions.js, live_speakers.js, live_timer.js, sharing live_page.js), which draw new
 * elements from Django-rendered <template>s. The page is read again only when the server says
 * it missed too much (`conflict`), or once for an agenda item or ballot added since. */
(function () {
  "use strict";

  var page = window.SpoluPage;
  if (!page || !window.WebSocket || !window.SpoluLive) return;
  var config = page.config;
  var strings = page.strings;
  var announce = page.announce;
  var banner = document.querySelector("[data-connection]");
  var INT_FIELDS = { ballot: 1, item: 1, question: 1 };
  // The event each console command causes, whose general announcement its own words replace.
  var ECHOES = {
    "agenda.goto": "agenda.item_changed", "ballot.open": "ballot.opened",
    "ballot.close": "ballot.closed", "question.answer": "question.answered",
    "speaker.next": "speaker.queue_changed", "timer.start": "timer.changed",
    "timer.stop": "timer.changed", "outcome.record": "outcome.recorded",
    "session.start": "session.state_changed", "session.close": "session.state_changed",
  };
  var doneLine = document.querySelector("[data-console-done]");
  // Every event of the session stream, durable and ephemeral, that the modules apply.
  var EVENTS = [
    "session.state_changed", "agenda.item_changed", "ballot.opened", "ballot.closed",
    "ballot.tally", "question.created", "question.upvotes", "question.answered",
    "question.hidden", "speaker.queue_changed", "timer.changed", "presence.changed",
    "outcome.recorded", "minutes.updated",
  ];

  function keepAsSent(form) {
    // What was sent is now the form's starting point.
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

  // --- The socket (realtime/static/realtime/live.js: snapshot, resume, reconnect with jittered backoff) --
  var live = window.SpoluLive.connect(config.getAttribute("data-ws-path"), {
    status: banner,
    announcer: document.querySelector("[data-announcer]"),
    replay: true,
    since: parseInt(config.getAttribute("data-seq"), 10),
    texts: { reconnecting: strings.reconnecting, connected: strings.connected },
  });
  var snapshots = 0;
  live.on("session.snapshot", function (data) {
    document.documentElement.setAttribute("data-live", "connected");
    snapshots += 1;
    page.apply("session.snapshot", data);
    // Back after a drop: live.js resumes from the last event this page applied, and the
    // missed events arrive and are applied like any other.
    if (snapshots > 1) announce(strings.connected);
  });
  live.on("error", function (data) {
    // Missed too much to resume: the page is read again, the one re-read it ever needs.
    if (data.code === "conflict" && !data.ref) window.location.reload();
  });
  EVENTS.forEach(function (type) {
    live.on(type, function (data) { page.apply(type, data); });
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
    told(text, kind);
  }

  // The console's line saying what its own last action did (or why it was refused).
  function told(text, kind) {
    if (!doneLine) return;
    doneLine.className = "message console-done message-" + kind;
    doneLine.textContent = text;
    doneLine.hidden = false;
  }

  // A command the server acknowledged: the form's own words for what it did (data-done,
  // drawn by Django in the page's language), aloud and in sight.
  function done(form, type) {
    var text = form.getAttribute("data-done");
    if (!text) return;
    page.announceOwn(text, strings[ECHOES[type]]);
    told(text, "success");
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

  function confirmedPost(form) {
    if (form.hasAttribute("data-confirm") && !form.elements.confirmed) {
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "yes";
      form.appendChild(confirmed);
    }
    form.submit();
  }

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
      page.apply("ack:" + type, ack, data);
      done(form, type);
      if (type === "vote.cast") {
        replied(form, type, strings.vote_counted.replace("%(code)s", ack.receipt), "success");
        // A changed vote sent from this same form is a new vote, not a retry of this one.
        form.elements.key.value = data.key.split("~")[0] + "~" + Date.now().toString(36);
      }
    }, function (error) {
      // Not connected after all: the form does what it does without this script (already
      // confirmed here, so the server does not ask again).
      if (error.code === "disconnected") { confirmedPost(form); return; }
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

  updateBudgets();
})();
