/* Spolu live client: one websocket speaking docs/realtime-protocol.md. No build step.
 *
 *   const live = SpoluLive.connect("/ws/proposals/12/", {
 *     status: document.getElementById("live-status"),      // shows "reconnecting…"
 *     announcer: document.getElementById("live-announcer"), // an aria-live region
 *     texts: {reconnecting: "…", connected: "…"},
 *   });
 *   live.on("session.snapshot", (data) => …);   // first frame of every connection
 *   live.on("comment.created", (data, frame) => …);
 *   live.send("vote.cast", {...}).then(ack => …, error => …);
 *   live.announce("A new comment");
 *
 * It keeps the seq of the newest durable event applied, skips durable events it already has,
 * reconnects with jittered exponential backoff, and after a reconnect sends `resume` with the
 * last seq it saw (the fresh snapshot already holds those events, so they are skipped).
 */
(function () {
  "use strict";

  var MAX_DELAY = 30000;

  function connect(path, options) {
    options = options || {};
    var texts = options.texts || {};
    var handlers = {};
    var pending = {};
    var socket = null;
    var lastSeq = null; // newest durable seq applied
    // What we had when the socket dropped; at first, the seq the page was drawn at
    // (options.since), so events between the page's drawing and the socket are replayed.
    var resumeFrom = options.replay && typeof options.since === "number" && !isNaN(options.since)
      ? options.since : null;
    var attempt = 0;
    var counter = 0;
    var stopped = false;

    function emit(type, data, frame) {
      (handlers[type] || []).forEach(function (handler) {
        try {
          handler(data, frame);
        } catch (error) {
          if (window.console) console.error(error);
        }
      });
    }

    function setStatus(text) {
      if (!options.status) return;
      options.status.textContent = text || "";
      options.status.hidden = !text;
    }

    function announce(text) {
      if (!options.announcer || !text) return;
      // Clear first so the same message twice is announced twice.
      options.announcer.textContent = "";
      window.setTimeout(function () {
        options.announcer.textContent = text;
      }, 50);
    }

    function url() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      return scheme + window.location.host + path;
    }

    function open() {
      if (stopped) return;
      socket = new WebSocket(url());
      socket.onmessage = receive;
      socket.onclose = closed;
    }

    function receive(message) {
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (frame.type === "session.snapshot") {
        attempt = 0;
        setStatus("");
        // A page that applies events (options.replay) stays at the last one it applied, so
        // the resume's missed events reach it; the others redraw from the snapshot.
        lastSeq = resumeFrom !== null && options.replay ? resumeFrom : frame.data.last_seq;
        emit("session.snapshot", frame.data, frame);
        if (resumeFrom !== null && resumeFrom < frame.data.last_seq) {
          request("resume", { after: resumeFrom }).catch(function () {});
        }
        resumeFrom = null;
        return;
      }
      if (frame.type === "ack" || frame.type === "error") {
        var ref = frame.data.ref;
        if (ref && pending[ref]) {
          var waiting = pending[ref];
          delete pending[ref];
          if (frame.type === "ack") waiting.resolve(frame.data);
          else waiting.reject(frame.data);
        } else if (frame.type === "error" && frame.data.code === "conflict" && !ref) {
          // The server lost track of us: start over from a fresh snapshot.
          socket.close();
        }
        emit(frame.type, frame.data, frame);
        return;
      }
      if (frame.seq !== null && frame.seq !== undefined) {
        if (lastSeq !== null && frame.seq <= lastSeq) return; // already in the snapshot
        lastSeq = frame.seq;
      }
      emit(frame.type, frame.data, frame);
    }

    function closed(event) {
      Object.keys(pending).forEach(function (ref) {
        pending[ref].reject({ ref: ref, code: "disconnected", message: "" });
      });
      pending = {};
      if (stopped) return;
      if (event.code === 4401 || event.code === 4404) {
        stopped = true; // no right, or nothing there: retrying cannot help
        emit("closed", { code: event.code });
        return;
      }
      if (lastSeq !== null) resumeFrom = lastSeq;
      setStatus(texts.reconnecting || "Reconnecting…");
      // Jittered exponential backoff: a room that lost its connection must not come back at
      // the same instant (a server accepts only so many new connections a second).
      var ceiling = Math.min(MAX_DELAY, 500 * Math.pow(2, attempt));
      attempt += 1;
      window.setTimeout(open, ceiling / 2 + Math.random() * (ceiling / 2));
    }

    function request(type, data) {
      return new Promise(function (resolve, reject) {
        if (!socket || socket.readyState !== WebSocket.OPEN) {
          reject({ ref: null, code: "disconnected", message: texts.reconnecting || "" });
          return;
        }
        counter += 1;
        var ref = "c-" + counter;
        pending[ref] = { resolve: resolve, reject: reject };
        socket.send(JSON.stringify({ id: ref, type: type, data: data || {} }));
      });
    }

    window.addEventListener("online", function () {
      if (socket && socket.readyState === WebSocket.CLOSED) open();
    });

    open();
    return {
      on: function (type, handler) {
        (handlers[type] = handlers[type] || []).push(handler);
        return this;
      },
      send: request,
      announce: announce,
      close: function () {
        stopped = true;
        if (socket) socket.close();
      },
    };
  }

  window.SpoluLive = { connect: connect };
})();
