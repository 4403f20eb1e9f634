/* Questions: asked, upvoted (the list re-sorts), hidden, answered, each applied from the
 * event's data. The participant and console lists keep the server's order: unanswered by
 * upvotes then age, answered after them in the order they were answered. The projector's top
 * five are drawn from the questions the snapshot and events describe. */
(function () {
  "use strict";
  var page = window.SpoluPage;
  if (!page) return;
  var questions = page.state.questions; // id → {id, text, upvotes, answered}

  function short(text) {
    // As Django's truncatechars:40.
    return text.length > 40 ? text.slice(0, 39) + "…" : text;
  }

  function list() { return document.querySelector("[data-question-list]"); }
  function rows() {
    var ol = list();
    return ol ? Array.prototype.slice.call(ol.querySelectorAll(":scope > li[data-question]")) : [];
  }
  function rowOf(id) {
    var ol = list();
    return ol ? ol.querySelector(':scope > li[data-question="' + id + '"]') : null;
  }
  function upvotesOf(row) { return parseInt(row.querySelector("[data-upvotes]").textContent, 10) || 0; }
  function idOf(row) { return parseInt(row.getAttribute("data-question"), 10); }

  function sortList() {
    var ol = list();
    if (!ol) return;
    var open = rows().filter(function (row) { return !row.classList.contains("question-answered"); });
    var answered = rows().filter(function (row) { return row.classList.contains("question-answered"); });
    open.sort(function (a, b) { return upvotesOf(b) - upvotesOf(a) || idOf(a) - idOf(b); });
    open.concat(answered).forEach(function (row) { ol.appendChild(row); });
    var empty = ol.querySelector(":scope > li.empty-state");
    if (rows().length && empty) empty.remove();
    if (!rows().length && !empty) ol.appendChild(page.clone("tpl-empty-questions"));
  }

  function drawTop() {
    var ol = document.querySelector("[data-top-questions]");
    if (!ol) return;
    var top = Object.keys(questions).map(function (id) { return questions[id]; })
      .filter(function (q) { return !q.answered; })
      .sort(function (a, b) { return b.upvotes - a.upvotes || a.id - b.id; })
      .slice(0, 5);
    ol.textContent = "";
    top.forEach(function (q) {
      var row = page.clone("tpl-top-question");
      var li = row.querySelector("li");
      li.setAttribute("data-question", q.id);
      row.querySelector('[data-slot="text"]').textContent = q.text;
      row.querySelector("[data-upvotes]").textContent = q.upvotes;
      ol.appendChild(row);
    });
    if (!top.length) ol.appendChild(page.clone("tpl-empty-questions"));
  }

  page.on("session.snapshot", function (data) {
    Object.keys(questions).forEach(function (id) { delete questions[id]; });
    data.questions.forEach(function (q) {
      questions[q.id] = q;
      // Upvotes are not replayed by a resume: after a drop, the snapshot's are the newest.
      var row = rowOf(q.id);
      if (row) row.querySelector("[data-upvotes]").textContent = q.upvotes;
    });
    sortList();
    drawTop();
  });

  page.on("question.created", function (data) {
    var q = data.question;
    questions[q.id] = q;
    drawTop();
    var ol = list();
    if (ol && !rowOf(q.id)) {
      var fragment = page.clone("tpl-question");
      var li = fragment.querySelector("li");
      li.setAttribute("data-question", q.id);
      li.querySelector('[data-slot="text"]').textContent = q.text;
      li.querySelector('[data-slot="author"]').textContent = q.author || "";
      li.querySelector("[data-upvotes]").textContent = q.upvotes;
      li.querySelectorAll('[data-slot="short"]').forEach(function (node) { node.textContent = ": " + short(q.text); });
      li.querySelectorAll('input[name="question"]').forEach(function (input) { input.value = q.id; });
      var answer = li.querySelector('input[name="answer"]');
      if (answer) {
        answer.id = "answer-" + q.id;
        li.querySelector("label[for]").setAttribute("for", answer.id);
      }
      if (mine[q.id] || (q.attendance && q.attendance === page.attendance)) markMine(li);
      ol.appendChild(li);
      sortList();
    }
    page.announce(page.strings["question.created"]);
  });

  page.on("question.upvotes", function (data) {
    if (questions[data.question]) questions[data.question].upvotes = data.upvotes;
    drawTop();
    var row = rowOf(data.question);
    if (!row) return;
    row.querySelector("[data-upvotes]").textContent = data.upvotes;
    sortList();
  });

  page.on("question.hidden", function (data) {
    delete questions[data.question];
    drawTop();
    var row = rowOf(data.question);
    if (row) row.remove();
    sortList();
  });

  page.on("question.answered", function (data) {
    if (questions[data.question]) questions[data.question].answered = true;
    drawTop();
    var row = rowOf(data.question);
    if (!row) return;
    row.classList.add("question-answered");
    row.querySelector("[data-answered-mark]").hidden = false;
    if (data.answer) {
      page.setLines(row.querySelector('[data-slot="answer"]'), data.answer);
      row.querySelector("[data-answer]").hidden = false;
    }
    // No more answering or upvoting an answered question; the upvote note goes too.
    row.querySelectorAll('form[data-command="question.answer"], form[data-command="question.upvote"], [data-upvoted]')
      .forEach(function (node) { node.remove(); });
    list().appendChild(row); // the newest answered goes last
    sortList();
    page.announce(page.strings["question.answered"]);
  });

  // This person's own questions (no upvote form) and upvotes ("You upvoted this."), from the
  // acks of their commands: the events say only who asked, by name.
  var mine = {};
  function markMine(li) {
    var form = li.querySelector('form[data-command="question.upvote"]');
    if (form) form.remove();
  }
  page.on("ack:question.ask", function (ack) {
    if (!ack.id) return;
    mine[ack.id] = true;
    var row = rowOf(ack.id);
    if (row) markMine(row);
  });
  page.on("ack:question.upvote", function (ack, data) {
    var row = rowOf(data.question);
    var form = row && row.querySelector('form[data-command="question.upvote"]');
    if (form) form.replaceWith(page.clone("tpl-upvoted"));
  });
})();
