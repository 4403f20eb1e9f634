/* Ballots: opened (the participant view clones the ballot's <template>, announces it and
 * brings it into view; the console swaps its open and close forms; the projector shows it),
 * closed, and their tallies, drawn only from counts the server sent (voting/visibility.py
 * decides who gets them). A ballot the page has no template for is ignored. */
(function () {
  "use strict";
  var page = window.SpoluPage;
  if (!page) return;
  var ballots = page.state.ballots; // id → BallotInfo, from the snapshot and events
  var voted = {}; // ballot id → this person voted, from the snapshot and acks

  function article(id) { return document.querySelector('#part-ballots article[data-ballot="' + id + '"]'); }

  // On the participant view an open ballot's counts wait for this person's vote (as the
  // server draws the page: live.views.live_context).
  function waitsForVote(id) { return page.view === "live" && !voted[id]; }
  // Someone told why they may not vote gets no form, and so no results for voting.
  function mayVote(id) {
    var card = article(id);
    return !card || !!card.querySelector('form[data-command="vote.cast"]');
  }

  // Someone typing (a question, a note, a score) keeps their place: the page does not move
  // under them when a ballot opens; the announcement still tells them.
  function typing() {
    var node = document.activeElement;
    if (!node || node === document.body) return false;
    if (node.isContentEditable || node.tagName === "TEXTAREA" || node.tagName === "SELECT") return true;
    return node.tagName === "INPUT" && !/^(radio|checkbox|button|submit|reset|hidden)$/.test(node.type);
  }
  function bringIntoView(node) {
    if (typing()) return;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    node.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }
  function stateLabel(state) { return (page.strings.ballot_states || {})[state] || state; }

  function drawTally(id, tally, state) {
    var box = document.querySelector('[data-tally-box="' + id + '"]');
    var info = ballots[id];
    if (!box || !info) return;
    box.textContent = "";
    if (state === "open" && waitsForVote(id)) tally = null;
    if (!tally) {
      if (state === "open") {
        var afterVote = info.results_live && waitsForVote(id) && mayVote(id);
        box.appendChild(page.clone(afterVote ? "tpl-tally-after-vote" : "tpl-tally-later"));
      }
      return;
    }
    var fragment = page.clone("tpl-tally");
    var list = fragment.querySelector("ul");
    list.setAttribute("data-tally", id);
    info.options.forEach(function (option) {
      var row = page.clone("tpl-tally-row");
      row.querySelector("li").setAttribute("data-option", option.id);
      row.querySelector('[data-slot="label"]').textContent = option.label;
      list.appendChild(row);
    });
    fragment.querySelector("[data-total]").setAttribute("data-total", id);
    fragment.querySelector("[data-live-suffix]").hidden = state !== "open";
    box.appendChild(fragment);
    applyTally({ ballot: id, counts: tally.counts, total: tally.total });
  }

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

  function insertInOrder(node, id) {
    var section = document.getElementById("part-ballots");
    var after = null;
    section.querySelectorAll(":scope > article[data-ballot]").forEach(function (other) {
      if (after === null && parseInt(other.getAttribute("data-ballot"), 10) > id) after = other;
    });
    section.insertBefore(node, after || section.querySelector("[data-ballots-empty]"));
    var empty = section.querySelector("[data-ballots-empty]");
    if (empty) empty.hidden = true;
  }

  function updateEmpty() {
    var section = document.getElementById("part-ballots");
    var empty = section && section.querySelector("[data-ballots-empty]");
    if (empty) empty.hidden = !!section.querySelector(":scope > article[data-ballot]");
  }

  // The projector shows open ballots and the closed ballot of the item under way.
  function currentBallot() {
    var id = page.state.current;
    return id !== null ? page.state.agenda[id] : null;
  }
  function drawProjector() {
    if (page.view !== "projector") return;
    Object.keys(ballots).forEach(function (key) {
      var info = ballots[key], id = info.id;
      var shown = info.state === "open" || (info.state === "closed" && id === currentBallot());
      var node = article(id);
      if (shown && !node) {
        var fragment = page.clone('[data-ballot-template="' + id + '"]');
        if (!fragment) return;
        insertInOrder(fragment, id);
        drawTally(id, info.tally, info.state);
      } else if (!shown && node) {
        node.remove();
      }
    });
    updateEmpty();
  }

  page.on("session.snapshot", function (data) {
    data.ballots.forEach(function (info) {
      ballots[info.id] = info;
      // Tallies are not replayed by a resume: after a drop, the snapshot's are the newest.
      if (info.tally) applyTally({ ballot: info.id, counts: info.tally.counts, total: info.tally.total });
    });
    Object.keys(data.you.votes || {}).forEach(function (id) { voted[id] = true; });
  });
  page.on("agenda.item_changed", drawProjector);

  page.on("ballot.opened", function (data) {
    var info = data.ballot;
    ballots[info.id] = info;
    document.querySelectorAll('[data-ballot-state-label="' + info.id + '"]').forEach(function (node) {
      node.textContent = stateLabel("open");
    });
    if (page.view === "console") {
      var card = article(info.id);
      if (card) {
        var openForm = card.querySelector("[data-ballot-open]");
        var closeForm = card.querySelector("[data-ballot-close]");
        // A keyboard user who opened it lands on its Close button, not at the page's top.
        var focused = openForm.contains(document.activeElement);
        openForm.hidden = true;
        closeForm.hidden = false;
        if (focused) closeForm.querySelector("button").focus();
        var paper = card.querySelector("[data-paper-count]");
        if (paper) paper.hidden = false;
        drawTally(info.id, info.tally, "open");
      }
    } else if (page.view === "projector") {
      drawProjector();
    } else if (!article(info.id)) {
      var fragment = page.clone('[data-ballot-template="' + info.id + '"]');
      if (!fragment) return;
      var node = fragment.querySelector("article");
      insertInOrder(fragment, info.id);
      drawTally(info.id, info.tally, "open");
      node.setAttribute("tabindex", "-1");
      bringIntoView(node);
      page.announce(page.strings["ballot.opened"] + " " + info.question);
      return;
    }
    page.announce(page.strings["ballot.opened"]);
  });

  page.on("ballot.closed", function (data) {
    var info = ballots[data.ballot];
    if (info) { info.state = "closed"; info.tally = data.tally; }
    document.querySelectorAll('[data-ballot-state-label="' + data.ballot + '"]').forEach(function (node) {
      node.textContent = stateLabel("closed");
    });
    var card = article(data.ballot);
    if (card) {
      var open = card.querySelector("[data-open-only]");
      if (open) open.remove();
      var state = card.querySelector("[data-ballot-state]");
      if (state) state.textContent = page.strings.closed || stateLabel("closed");
      var close = card.querySelector("[data-ballot-close]");
      if (close) {
        // Focus stays in the ballot's card (its heading) when its Close button goes.
        var wasFocused = close.contains(document.activeElement);
        close.hidden = true;
        var heading = card.querySelector("h3");
        if (wasFocused && heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
      drawTally(data.ballot, data.tally, "closed");
    }
    drawProjector();
    page.announce(page.strings["ballot.closed"]);
  });

  page.on("ballot.tally", function (data) {
    var info = ballots[data.ballot];
    // Kept, shown or not: this person's own vote's tally may come before its ack.
    if (info) info.tally = { counts: data.counts, total: data.total };
    if (info && info.state === "open" && waitsForVote(data.ballot)) return;
    if (!document.querySelector('[data-tally="' + data.ballot + '"]') && info) {
      // Counts the page did not show yet: the server sends them to whom may see them.
      info.tally = { counts: data.counts, total: data.total };
      drawTally(data.ballot, info.tally, info.state);
      return;
    }
    applyTally(data);
  });

  // This person's vote, in words, as the server-drawn page shows it after a vote.
  page.on("ack:vote.cast", function (ack, data) {
    voted[data.ballot] = true;
    var card = article(data.ballot);
    var info = ballots[data.ballot];
    if (!card || !info) return;
    var box = card.querySelector("[data-mine]");
    var listNode = box && box.querySelector("[data-mine-list]");
    if (listNode) {
      listNode.textContent = "";
      var labels = {};
      info.options.forEach(function (option) { labels[option.id] = option.label; });
      var rows = Array.isArray(data.choice)
        ? data.choice.filter(function (id) { return id in labels; }).map(function (id) { return labels[id]; })
        : info.options.filter(function (o) { return o.id in data.choice; })
          .map(function (o) { return o.label + ": " + data.choice[o.id]; });
      rows.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        listNode.appendChild(li);
      });
      box.hidden = false;
    }
    card.querySelectorAll("[data-voted]").forEach(function (n) { n.hidden = false; });
    // The counts waiting for this vote: the latest tally event's, or the snapshot's if none came.
    if (info.tally && info.state === "open") drawTally(data.ballot, info.tally, "open");
    card.querySelectorAll("[data-not-voted]").forEach(function (n) { n.hidden = true; });
  });
})();
