/* A proposal page kept current: new, edited, hidden and restored comments, and the counts. */
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
    var live = window.SpoluLive.connect(t.path, {
      status: document.getElementById("live-status"),
      announcer: document.getElementById("live-announcer"),
      texts: { reconnecting: t.reconnecting },
    });

    function article(comment) {
      var box = document.createElement("article");
      box.className = "card";
      box.setAttribute("aria-labelledby", "comment-" + comment.id + "-by");
      var meta = document.createElement("p");
      meta.className = "help comment-meta";
      meta.id = "comment-" + comment.id + "-by";
      var author = document.createElement("strong");
      author.textContent = comment.author;
      var stance = document.createElement("span");
      stance.className = "badge stance stance-" + comment.stance;
      stance.textContent = t["stance" + comment.stance.charAt(0).toUpperCase() + comment.stance.slice(1)];
      var time = document.createElement("time");
      time.dateTime = comment.created_at;
      time.textContent = new Date(comment.created_at).toLocaleString();
      meta.append(author, " · ", stance, " · ", time);
      if (comment.edited) meta.append(" · " + t.edited);
      var body = document.createElement("div");
      body.className = "comment-body";
      body.innerHTML = comment.html; // sanitised by the server when it was written
      box.append(meta, body);
      return box;
    }

    function place(comment) {
      var existing = document.getElementById("comment-" + comment.id);
      if (existing) {
        existing.querySelector("article").replaceWith(article(comment));
        return;
      }
      var item = document.createElement("li");
      item.id = "comment-" + comment.id;
      item.className = "comment comment-level-" + comment.level;
      item.append(article(comment));
      var list;
      var parent = comment.parent && document.getElementById("comment-" + comment.parent);
      if (parent) {
        list = parent.querySelector(":scope > ol.comment-replies");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comment-replies";
          parent.append(list);
        }
      } else {
        list = document.querySelector("#comments ol.comment-thread");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comment-thread";
          var empty = document.querySelector("#comments .empty-state");
          if (empty) empty.replaceWith(list);
          else document.getElementById("comments").append(list);
        }
      }
      list.append(item);
    }

    live.on("comment.created", function (data) {
      place(data.comment);
      live.announce(format(t.newComment, { name: data.comment.author }));
    });
    live.on("comment.edited", function (data) {
      place(data.comment);
      live.announce(t.commentChanged);
    });
    live.on("comment.restored", function (data) {
      place(data.comment);
    });
    live.on("comment.hidden", function (data) {
      var item = document.getElementById("comment-" + data.comment);
      if (!item) return;
      var note = document.createElement("p");
      note.className = "placeholder";
      note.id = "comment-" + data.comment + "-by";
      note.textContent = data.reason === "deleted" ? t.deleted : t.moderated;
      var box = item.querySelector("article");
      box.replaceChildren(note);
      live.announce(t.commentHidden);
    });
    live.on("proposal.counts", function (data) {
      var title = document.getElementById("comments-title");
      if (title) title.textContent = format(t.comments, { count: data.comments });
      var stances = document.querySelector("#comments .stance-counts");
      if (stances) stances.textContent = format(t.stances, data.stances);
      var supportTitle = document.getElementById("support-title");
      var supports = supportTitle && supportTitle.nextElementSibling;
      if (supports && supports.tagName === "P") {
        supports.textContent = format(t.supports, { count: data.supports });
      }
      var progress = supportTitle && supportTitle.parentElement.querySelector("progress");
      if (progress) {
        progress.value = data.supports;
        progress.textContent = data.supports;
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
