"use strict";
// The post body as WordPress and Ghost writers expect it: images dropped or pasted
// into it become figures, and unsaved text is kept in this browser until saved.
// Without this script the form works the same, minus these conveniences.
(function () {
  const AUTOSAVE_MS = 5000;
  const SUBMITTED = "masthead:post-submitted";

  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function notice(textarea) {
    let box = textarea.parentElement.querySelector(".post-editor-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "post-editor-notice";
      box.setAttribute("role", "status");
      textarea.insertAdjacentElement("beforebegin", box);
    }
    return box;
  }

  function say(textarea, message, failed) {
    const box = notice(textarea);
    box.textContent = message;
    box.classList.toggle("post-editor-error", Boolean(failed));
  }

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart;
    const before = textarea.value.slice(0, start);
    const after = textarea.value.slice(textarea.selectionEnd);
    const lead = before && !before.endsWith("\n") ? "\n\n" : "";
    const trail = after.startsWith("\n") ? "" : "\n\n";
    textarea.value = before + lead + text + trail + after;
    textarea.selectionStart = textarea.selectionEnd = (before + lead + text).length;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Alt text is asked for before anything is sent: the server refuses a figure
  // without one, so no placeholder ever reaches readers.
  async function upload(textarea, file) {
    if (!file.type.startsWith("image/")) {
      say(textarea, `“${file.name}” is not an image. Upload a JPEG, PNG, GIF or WebP image.`, true);
      return;
    }
    const alt = window.prompt(`Describe “${file.name}” for readers who cannot see it (alt text):`);
    if (!alt || !alt.trim()) {
      say(textarea, "Nothing was inserted: a figure needs alt text.", true);
      return;
    }
    const caption = window.prompt("Caption (optional):") || "";
    const body = new FormData();
    body.append("image", file, file.name || "pasted-image.png");
    body.append("alt_text", alt.trim());
    body.append("caption", caption.trim());
    body.append("credit", "");
    say(textarea, `Uploading “${file.name}”…`, false);
    try {
      const response = await fetch(textarea.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
        body: body,
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        say(textarea, answer.error || `The upload failed (${response.status}).`, true);
        return;
      }
      insertAtCursor(textarea, answer.snippet);
      say(textarea, `Inserted figure ${answer.id}.`, false);
    } catch (error) {
      say(textarea, "The upload failed: the server could not be reached.", true);
    }
  }

  async function takeFiles(textarea, event, files) {
    if (!files || !files.length) return;
    event.preventDefault();
    for (const file of Array.from(files)) await upload(textarea, file);
  }

  function attachUploads(textarea) {
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
        event.preventDefault();
      }
    });
    textarea.addEventListener("drop", function (event) {
      takeFiles(textarea, event, event.dataTransfer && event.dataTransfer.files);
    });
    textarea.addEventListener("paste", function (event) {
      takeFiles(textarea, event, event.clipboardData && event.clipboardData.files);
    });
  }

  function draftKey() {
    return `masthead:post-draft:${location.pathname}`;
  }

  function hhmm(date) {
    return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
  }

  function offerRestore(textarea, title, copy) {
    const box = document.createElement("p");
    box.className = "post-editor-restore";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = `Restore the unsaved text from ${hhmm(new Date(copy.savedAt))}`;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = "Discard it";
    box.append(restore, " ", discard);
    textarea.insertAdjacentElement("beforebegin", box);
    restore.addEventListener("click", function () {
      if (title) title.value = copy.title;
      textarea.value = copy.body;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      box.remove();
    });
    discard.addEventListener("click", function () {
      localStorage.removeItem(draftKey());
      box.remove();
    });
  }

  function attachAutosave(textarea) {
    const title = textarea.form.querySelector("[name=title]");
    const read = () => ({ title: title ? title.value : "", body: textarea.value });
    const stored = JSON.parse(localStorage.getItem(draftKey()) || "null");
    const serverSaved = Date.parse(textarea.dataset.savedAt || "") || 0;
    const now = read();
    if (stored && stored.savedAt > serverSaved && (stored.body !== now.body || stored.title !== now.title)) {
      offerRestore(textarea, title, stored);
    }
    let dirty = false;
    textarea.form.addEventListener("input", () => (dirty = true));
    setInterval(function () {
      if (!dirty) return;
      dirty = false;
      localStorage.setItem(draftKey(), JSON.stringify({ ...read(), savedAt: Date.now() }));
    }, AUTOSAVE_MS);
    // The copy is cleared once the server says the save worked (see below).
    textarea.form.addEventListener("submit", () => sessionStorage.setItem(SUBMITTED, draftKey()));
  }

  function clearAfterSuccessfulSave() {
    const key = sessionStorage.getItem(SUBMITTED);
    if (!key) return;
    sessionStorage.removeItem(SUBMITTED);
    if (document.querySelector(".messagelist .success")) localStorage.removeItem(key);
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearAfterSuccessfulSave();
    document.querySelectorAll("textarea[data-upload-url]").forEach(function (textarea) {
      attachUploads(textarea);
      attachAutosave(textarea);
    });
  });
})();
