/* Shared by the live pages' element modules (live_agenda.js, live_ballots.js, live_questions.js,
 * live_speakers.js, live_timer.js): the page's strings, the announcer, cloning the
 * Django-rendered <template> elements, and the list of handlers each module registers for
 * the session stream's events. live_session.js connects the socket and feeds them. */
(function () {
  "use strict";

  var config = document.querySelector("[data-live-config]");
  if (!config) return;
  var stringsNode = document.getElementById("live-strings");
  var announcer = document.querySelector("[data-announcer]");
  var handlers = {};
  // Events applied while the session is scheduled, in order: the page drawn for its start
  // (live_agenda.js) was drawn with this one and is brought up to now by applying them again.
  var beforeStart = [];
  var quiet = false;

  function say(text) {
    if (quiet) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // The stream's echo of the console's own action (the event the action caused) does not talk
  // over the console's own words for it; an echo that never comes is forgotten soon.
  var echo = null;
  function announce(text) {
    if (!text || !announcer || quiet) return;
    if (echo && echo.until > Date.now() && text.indexOf(echo.text) === 0) { echo = null; return; }
    say(text);
  }
  function announceOwn(text, echoText) {
    if (!text || !announcer) return;
    echo = echoText ? { text: echoText, until: Date.now() + 5000 } : null;
    say(text);
  }

  // A clone of <template id=…> or of the template found by selector; null when the page has
  // none (an element this page never drew: its event is ignored).
  function clone(selector) {
    var template = selector.charAt(0) === "#" || selector.charAt(0) === "["
      ? document.querySelector(selector) : document.getElementById(selector);
    return template ? template.content.cloneNode(true) : null;
  }

  // Elements matching `selector` in the page and inside every <template>, so that a template
  // drawn at load (an agenda item's panel) keeps up with events that changed it since.
  function everywhere(selector) {
    var found = Array.prototype.slice.call(document.querySelectorAll(selector));
    document.querySelectorAll("template").forEach(function (template) {
      found = found.concat(Array.prototype.slice.call(template.content.querySelectorAll(selector)));
    });
    return found;
  }

  // Text with its line breaks as <br>, as Django's linebreaksbr draws it.
  function setLines(node, text) {
    node.textContent = "";
    String(text || "").split("\n").forEach(function (line, index) {
      if (index) node.appendChild(document.createElement("br"));
      node.appendChild(document.createTextNode(line));
    });
  }

  // The item under way and each item's ballot, which several modules read (the projector
  // has no agenda list to read them from).
  function followAgenda(data) {
    var state = window.SpoluPage.state;
    state.agenda = {};
    state.current = null;
    data.agenda.forEach(function (item) {
      state.agenda[item.id] = item.ballot;
      if (item.current) state.current = item.id;
    });
    if ("current" in data) state.current = data.current;
  }

  // The one fallback to a page read: markup the page was never drawn with (an agenda item or
  // ballot added since the page was drawn). Spread over a few seconds
  // so a room does not read its pages at once; asked twice, it still reloads once.
  var reloading = false;
  function reloadSoon() {
    if (reloading) return;
    reloading = true;
    window.setTimeout(function () { window.location.reload(); }, 300 + Math.random() * 2000);
  }

  window.SpoluPage = {
    config: config,
    view: config.getAttribute("data-view"),
    attendance: parseInt(config.getAttribute("data-attendance"), 10) || null,
    strings: stringsNode ? JSON.parse(stringsNode.textContent) : {},
    state: { ballots: {}, questions: {}, agenda: {}, current: null },
    announce: announce,
    announceOwn: announceOwn,
    clone: clone,
    everywhere: everywhere,
    setLines: setLines,
    reloadSoon: reloadSoon,
    // Once the started page is in: what happened since the page was drawn, applied to it
    // again without a word to the announcer (the handlers are idempotent).
    replayBeforeStart: function () {
      var events = beforeStart;
      beforeStart = [];
      quiet = true;
      try {
        events.forEach(function (event) { window.SpoluPage.apply(event[0], event[1], event[2]); });
      } finally {
        quiet = false;
      }
    },
    on: function (type, handler) { (handlers[type] = handlers[type] || []).push(handler); },
    // One event: every module's handler; a handler that fails leaves the others and the page
    // working (an event from a newer server may carry what this page cannot draw).
    apply: function (type, data, extra) {
      if (config.getAttribute("data-state") === "scheduled" && type !== "session.state_changed") {
        beforeStart.push([type, data, extra]);
      }
      if (type === "session.snapshot" || type === "agenda.item_changed") followAgenda(data);
      (handlers[type] || []).forEach(function (handler) {
        try { handler(data, extra); } catch (error) { if (window.console) window.console.error(error); }
      });
    },
  };
})();
