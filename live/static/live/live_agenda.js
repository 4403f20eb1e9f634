/* The agenda: agenda.item_changed marks the item under way in every agenda list and swaps in
 * that item's panels from their <template> (drawn by Django for each item at load); outcomes
 * and notes update the item wherever it is drawn, templates included. session.state_changed
 * swaps in the page drawn for the start (live) or closes the page's forms (closed). */
(function () {
  "use strict";
  var page = window.SpoluPage;
  if (!page) return;

  function swap(part, templateSelector) {
    var node = document.getElementById(part);
    if (!node) return;
    var focused = node.contains(document.activeElement);
    var fragment = templateSelector ? page.clone(templateSelector) : null;
    node.textContent = "";
    if (fragment) node.appendChild(fragment);
    if (focused) {
      var heading = node.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  }

  // An item or ballot this page has no markup for was added since it loaded: only a fresh
  // page can draw it (its forms and templates come from the server).
  function drawnWithout(agenda) {
    return agenda.some(function (item) {
      if (!document.querySelector('[data-current-template="' + item.id + '"]')) return true;
      return item.ballot !== null && item.ballot !== undefined &&
        !page.everywhere('[data-ballot="' + item.ballot + '"], [data-ballot-template="' + item.ballot + '"]').length;
    });
  }

  page.on("agenda.item_changed", function (data) {
    if (page.config.getAttribute("data-state") === "live" && drawnWithout(data.agenda)) {
      page.reloadSoon();
      return;
    }
    var current = data.current;
    document.querySelectorAll("li[data-item]").forEach(function (li) {
      var here = parseInt(li.getAttribute("data-item"), 10) === current;
      li.classList.toggle("agenda-current", here);
      if (here) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      var now = li.querySelector("[data-now]");
      if (now) now.hidden = !here;
      var go = li.querySelector("[data-goto]");
      if (go) go.hidden = here;
    });
    var known = current !== null && document.querySelector('[data-current-template="' + current + '"]');
    if (current === null || known) {
      swap("part-current", known ? '[data-current-template="' + current + '"]' : "tpl-waiting");
      swap("part-outcome", current === null ? null : '[data-outcome-template="' + current + '"]');
      swap("part-notes", current === null ? null : '[data-notes-template="' + current + '"]');
    }
    page.announce(page.strings["agenda.item_changed"]);
  });

  function outcomeLines(item) {
    var lines = [];
    document.querySelectorAll('li[data-item="' + item + '"] [data-outcome-line]').forEach(function (n) { lines.push(n); });
    var tpl = document.querySelector('[data-current-template="' + item + '"]');
    if (tpl) lines = lines.concat(Array.prototype.slice.call(tpl.content.querySelectorAll("[data-outcome-line]")));
    var panel = document.getElementById("part-current");
    if (panel && currentItem() === item) lines = lines.concat(Array.prototype.slice.call(panel.querySelectorAll("[data-outcome-line]")));
    return lines;
  }

  function currentItem() { return page.state.current; }

  // The item's forms (console outcome, note-taker) in the page if under way, and in its template.
  function forms(item, selector) {
    var found = [];
    ["outcome", "notes"].forEach(function (kind) {
      var tpl = document.querySelector("[data-" + kind + '-template="' + item + '"]');
      if (tpl) found = found.concat(Array.prototype.slice.call(tpl.content.querySelectorAll(selector)));
    });
    if (currentItem() === item) {
      found = found.concat(Array.prototype.slice.call(document.querySelectorAll("#part-outcome " + selector + ", #part-notes " + selector)));
    }
    return found;
  }

  page.on("outcome.recorded", function (data) {
    var label = data.decision ? (page.strings.decisions || {})[data.decision] || "" : "";
    outcomeLines(data.item).forEach(function (line) {
      line.querySelector('[data-slot="decision"]').textContent = label;
      line.querySelector('[data-slot="outcome"]').textContent = data.text ? " — " + data.text : "";
      line.hidden = !data.decision && !data.text;
    });
    forms(data.item, 'select[name="decision"]').forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.defaultSelected = option.value === data.decision;
        if (select !== document.activeElement) option.selected = option.defaultSelected;
      });
    });
    forms(data.item, 'textarea[name="text"]').forEach(function (field) {
      if (field.value === field.defaultValue) field.value = data.text;
      field.defaultValue = data.text;
    });
    page.announce(page.strings["outcome.recorded"]);
  });

  page.on("minutes.updated", function (data) {
    var boxes = [];
    var tpl = document.querySelector('[data-current-template="' + data.item + '"]');
    if (tpl) boxes = boxes.concat(Array.prototype.slice.call(tpl.content.querySelectorAll("[data-notes-box]")));
    var panel = document.getElementById("part-current");
    if (panel && currentItem() === data.item) boxes = boxes.concat(Array.prototype.slice.call(panel.querySelectorAll("[data-notes-box]")));
    boxes.forEach(function (box) {
      var notes = box.querySelector('[data-slot="notes"]');
      page.setLines(notes, data.notes);
      notes.hidden = !data.notes;
      var actions = box.querySelector('[data-slot="actions"]');
      actions.textContent = "";
      data.actions.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        actions.appendChild(li);
      });
      actions.hidden = !data.actions.length;
      box.hidden = !data.notes && !data.actions.length;
    });
    forms(data.item, 'textarea[name="notes"]').forEach(function (field) {
      if (field.value === field.defaultValue) field.value = data.notes;
      field.defaultValue = data.notes;
    });
    page.announce(page.strings["minutes.updated"]);
  });

  // Starting a session draws every form on every view. A page drawn while it was scheduled
  // holds itself as it will look once live (<template data-started-page>, live/started.py):
  // each live part and page template is swapped for its started version by id, with the item
  // templates only a live page has, and the events applied since the page was drawn are applied to it again.
  // Forms need no binding: live_session.js listens on the document.
  function start() {
    var started = document.querySelector("template[data-started-page]");
    if (!started) return false;
    var focused = document.activeElement && document.activeElement.closest("[data-live-part][id]");
    function outsideParts(node) { return !node.parentNode.closest || !node.parentNode.closest("[data-live-part]"); }
    // The live parts, and the page's own templates (a question's shape has its Upvote form
    // only once live), by id.
    started.content.querySelectorAll("[data-live-part][id], template[id]").forEach(function (part) {
      if (part.tagName === "TEMPLATE" && !outsideParts(part)) return;
      var old = document.getElementById(part.id);
      if (old) old.replaceWith(document.importNode(part, true));
    });
    started.content.querySelectorAll("template[data-current-template], template[data-outcome-template], template[data-notes-template]")
      .forEach(function (template) {
        if (outsideParts(template)) started.parentNode.insertBefore(document.importNode(template, true), started);
      });
    started.remove();
    page.config.setAttribute("data-state", "live");
    if (focused) {
      // Keyboard focus stays where it was (the console's Start button becomes its Close form).
      var part = document.getElementById(focused.id);
      if (part) { part.setAttribute("tabindex", "-1"); part.focus(); }
    }
    page.replayBeforeStart();
    return true;
  }

  // A closed session takes no more actions: every form that posts to it goes, and the
  // panels say it ended.
  page.on("session.state_changed", function (data) {
    if (data.state === page.config.getAttribute("data-state")) return; // drawn so already
    if (data.state !== "closed") {
      // A page with no started version (drawn by an older server) reads itself once.
      if (data.state !== "live" || !start()) page.reloadSoon();
      page.announce(page.strings["session.state_changed"]);
      return;
    }
    page.announce(page.strings["session.state_changed"]);
    // (The console may still answer and hide questions for the minutes.)
    document.querySelectorAll('form[action$="/act/"], [data-upvoted]').forEach(function (node) {
      if (node.closest("[data-question-list]") && page.view === "console") return;
      node.remove();
    });
    document.querySelectorAll("template[data-current-template], template[data-outcome-template], template[data-notes-template]")
      .forEach(function (node) { node.remove(); });
    swap("part-current", "tpl-ended");
    ["part-ask", "part-notes", "part-outcome", "part-timer-controls"].forEach(function (id) { swap(id, null); });
    var state = document.querySelector("[data-session-state]");
    if (state) {
      state.textContent = (page.strings.session_states || {}).closed || data.state;
      state.closest("[data-live-part]").appendChild(page.clone("tpl-minutes-button"));
    }
  });
})();
