// The moderation desk without reloads: forms post with fetch and the row changes in
// place, and the keyboard works the queue. Without this script every form still
// works as a plain POST that comes back to the same view of the queue.
(function () {
  "use strict";
  var queue = document.querySelector(".desk-queue");
  var statusRegion = document.getElementById("desk-status");
  var keys = document.getElementById("desk-keys");
  var VERB_KEYS = { a: "approve", s: "spam", d: "trash", h: "hold" };
  // One request at a time, in the order they were asked for: quick keys never race.
  var pending = Promise.resolve();

  document.querySelectorAll("[data-js-only]").forEach(function (node) { node.hidden = false; });

  function say(text) {
    statusRegion.textContent = "";
    var note = document.createElement("p");
    note.className = "notice desk-notice";
    note.textContent = text;
    statusRegion.appendChild(note);
  }

  function rows() {
    return queue ? Array.prototype.slice.call(queue.querySelectorAll(".desk-row")) : [];
  }

  function selected() {
    return queue && queue.querySelector(".desk-row.is-selected");
  }

  function select(row) {
    if (!row) return;
    var current = selected();
    if (current) current.classList.remove("is-selected");
    row.classList.add("is-selected");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = rows();
    var index = list.indexOf(selected());
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : index + step;
    select(list[Math.max(0, Math.min(next, list.length - 1))]);
  }

  // After a decision, on to the next comment still waiting for one.
  function advanceFrom(row) {
    var list = rows();
    var rest = list.slice(list.indexOf(row) + 1).concat(list.slice(0, list.indexOf(row)));
    var next = rest.filter(function (r) { return !r.classList.contains("is-done") && !r.classList.contains("is-busy"); })[0];
    if (next) select(next);
  }

  // The navigation counts the whole site; the tabs, what they list (one post's, when filtered).
  function updateCounts(counts, attribute) {
    Object.keys(counts || {}).forEach(function (status) {
      document.querySelectorAll("[" + attribute + '="' + status + '"]').forEach(function (node) {
        node.textContent = counts[status];
      });
    });
  }

  function replaceRow(id, html) {
    var old = document.getElementById("desk-comment-" + id);
    if (!old) return;
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var row = holder.content.firstElementChild;
    if (queue && row.dataset.status !== queue.dataset.listing) row.classList.add("is-done");
    var wasSelected = old.classList.contains("is-selected");
    var hadFocus = old.contains(document.activeElement);
    old.replaceWith(row);
    if (wasSelected) row.classList.add("is-selected");
    if (hadFocus) row.focus({ preventScroll: true });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var row = form.closest(".desk-row");
    if (row) row.classList.add("is-busy");
    pending = pending.then(function () {
      return fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (row) row.classList.remove("is-busy");
          say(result.message || "Done.");
          if (!result.ok) return;
          Object.keys(result.rows || {}).forEach(function (id) { replaceRow(id, result.rows[id]); });
          updateCounts(result.counts, "data-count");
          updateCounts(result.tab_counts, "data-tab-count");
        })
        .catch(function () {
          if (row) row.classList.remove("is-busy");
          say("The connection failed; nothing was changed. Please try again.");
        });
    });
    return pending;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-desk") || !window.fetch) return;
    event.preventDefault();
    var row = form.closest(".desk-row");
    var details = form.closest("details");
    send(form, event.submitter);
    if (details) {
      details.open = false;
      if (row) row.focus();
    }
  });

  function act(verb) {
    var row = selected();
    if (!row) {
      say("Press j to choose a comment first.");
      return;
    }
    var button = row.querySelector('.desk-actions button[value="' + verb + '"]');
    if (!button || row.classList.contains("is-busy")) {
      say("That is not available for this comment.");
      return;
    }
    send(button.form, button);
    advanceFrom(row);
  }

  function open(kind) {
    var row = selected();
    var details = row && row.querySelector(".desk-" + kind);
    if (!details) return;
    details.open = true;
    details.querySelector("textarea").focus();
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event.target)) {
      var details = event.target.closest("details");
      if (details) {
        details.open = false;
        var row = details.closest(".desk-row");
        if (row) row.focus();
      }
      return;
    }
    if (typing(event.target) || (keys && keys.open)) return;
    var key = event.key;
    if (key === "?") {
      if (keys) keys.showModal();
    } else if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
    } else if (VERB_KEYS[key]) {
      act(VERB_KEYS[key]);
    } else if (key === "r") {
      open("reply");
    } else if (key === "e") {
      open("edit");
    } else if (key === "x") {
      var box = selected() && selected().querySelector(".desk-select");
      if (box) box.checked = !box.checked;
    } else {
      return;
    }
    event.preventDefault();
  });

  var all = document.getElementById("desk-select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(".desk-select").forEach(function (box) { box.checked = all.checked; });
    });
  }

  // A click on a row chooses it, so the keys then act where the pointer was.
  if (queue) {
    queue.addEventListener("click", function (event) {
      var row = event.target.closest(".desk-row");
      if (row && !row.classList.contains("is-selected")) {
        var current = selected();
        if (current) current.classList.remove("is-selected");
        row.classList.add("is-selected");
      }
    });
  }

  // A "Copy" button beside a read-only field (a new webhook's secret); without the
  // script the field can still be selected and copied by hand.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      field.select();
      var copied = navigator.clipboard
        ? navigator.clipboard.writeText(field.value)
        : Promise.resolve(document.execCommand("copy"));
      copied.then(function () { say("Secret copied."); }, function () {
        say("Could not copy; the secret is selected, press Ctrl+C.");
      });
    });
  });
})();
