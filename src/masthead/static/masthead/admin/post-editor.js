"use strict";
// The post body as WordPress and Ghost writers expect it: images dropped or pasted
// into it become figures whose alt text, caption and credit are edited beside the
// text, and what is typed is autosaved on the server until the post is saved.
// Without this script the form works the same, minus these conveniences.
(function () {
  const AUTOSAVE_MS = 10000;

  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function send(textarea, url, body) {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
      body: body,
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
    return answer;
  }

  function notice(textarea) {
    let box = textarea.form.querySelector(".post-editor-notice");
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

  function hhmm(date) {
    return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
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

  // --- Figures: a panel beside the body with each figure the body places. ---

  function figureUrl(textarea, id) {
    return textarea.dataset.figureUrl.replace(/\/0\/$/, `/${id}/`);
  }

  function figurePanel(textarea) {
    let panel = textarea.form.querySelector(".post-figures");
    if (!panel) {
      panel = document.createElement("section");
      panel.className = "post-figures";
      panel.setAttribute("aria-labelledby", "post-figures-heading");
      panel.innerHTML = '<h3 id="post-figures-heading">Figures in this post</h3><ul></ul>';
      (textarea.closest(".form-row") || textarea.parentElement).append(panel);
    }
    return panel;
  }

  function field(item, id, label, value, multiline, editable) {
    const wrap = document.createElement("p");
    const name = document.createElement("label");
    name.htmlFor = id;
    name.textContent = label;
    const input = document.createElement(multiline ? "textarea" : "input");
    input.id = id;
    input.value = value;
    input.dataset.field = id.split("-").pop().replace("alt", "alt_text");
    if (multiline) input.rows = 2;
    input.readOnly = !editable;
    wrap.append(name, input);
    item.append(wrap);
    return input;
  }

  async function saveFigure(textarea, item, figure) {
    const body = new FormData();
    item.querySelectorAll("[data-field]").forEach((input) => body.append(input.dataset.field, input.value));
    const status = item.querySelector(".post-figure-status");
    status.classList.remove("post-editor-error");
    try {
      const saved = await send(textarea, figureUrl(textarea, figure.id), body);
      status.textContent = `Saved at ${hhmm(new Date())}.`;
      // The preview shows the new caption and credit.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      return saved;
    } catch (error) {
      status.textContent = error.message;
      status.classList.add("post-editor-error");
    }
  }

  function showFigure(textarea, figure) {
    const list = figurePanel(textarea).querySelector("ul");
    if (list.querySelector(`[data-figure-id="${figure.id}"]`)) return;
    const item = document.createElement("li");
    item.className = "post-figure";
    item.dataset.figureId = figure.id;
    const group = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = `Figure ${figure.id}`;
    group.append(legend);
    if (figure.thumbnail) {
      const img = document.createElement("img");
      img.src = figure.thumbnail;
      img.alt = "";
      img.width = 96;
      group.append(img);
    }
    const prefix = `figure-${figure.id}`;
    field(group, `${prefix}-alt`, "Alt text", figure.alt_text, false, figure.editable);
    field(group, `${prefix}-caption`, "Caption", figure.caption, true, figure.editable);
    field(group, `${prefix}-credit`, "Credit", figure.credit, false, figure.editable);
    const status = document.createElement("p");
    status.className = "post-figure-status";
    status.setAttribute("role", "status");
    if (figure.editable) {
      const save = document.createElement("button");
      save.type = "button";
      save.className = "button";
      save.textContent = `Save figure ${figure.id}`;
      save.addEventListener("click", () => saveFigure(textarea, group, figure));
      // Enter in a figure's field saves the figure, not the whole post.
      group.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target.tagName === "INPUT") {
          event.preventDefault();
          saveFigure(textarea, group, figure);
        }
      });
      group.append(save);
    } else {
      status.textContent = "Uploaded by someone else: only they or an editor may change it.";
    }
    group.append(status);
    item.append(group);
    list.append(item);
  }

  async function showPlacedFigures(textarea) {
    const ids = new Set(Array.from(textarea.value.matchAll(/\(figure:(\d+)\)/g), (m) => m[1]));
    for (const id of ids) {
      try {
        showFigure(textarea, await send(textarea, figureUrl(textarea, id)));
      } catch (error) {
        // A figure deleted since, or one the writer may not see: the body says so in the preview.
      }
    }
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
      const figure = await send(textarea, textarea.dataset.uploadUrl, body);
      insertAtCursor(textarea, figure.snippet);
      showFigure(textarea, figure);
      say(textarea, `Inserted figure ${figure.id}; its caption and credit are under the text.`, false);
    } catch (error) {
      say(textarea, `The upload failed: ${error.message}`, true);
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
        textarea.classList.add("is-drop-target");
      }
    });
    textarea.addEventListener("dragleave", () => textarea.classList.remove("is-drop-target"));
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("is-drop-target");
      // The figure goes under the line it was dropped on, not where the cursor last was.
      const spot = document.caretPositionFromPoint && document.caretPositionFromPoint(event.clientX, event.clientY);
      if (spot && spot.offsetNode === textarea) {
        const end = textarea.value.indexOf("\n", spot.offset);
        textarea.selectionStart = textarea.selectionEnd = end === -1 ? textarea.value.length : end;
      }
      takeFiles(textarea, event, event.dataTransfer && event.dataTransfer.files);
    });
    textarea.addEventListener("paste", function (event) {
      takeFiles(textarea, event, event.clipboardData && event.clipboardData.files);
    });
  }

  // --- Autosave: the server keeps a copy per person and post, never the post itself. ---

  function fieldsOf(form) {
    const value = (name) => (form.querySelector(`[name=${name}]`) || { value: "" }).value;
    return { title: value("title"), excerpt: value("excerpt"), body: value("body") };
  }

  function offerRestore(textarea, copy) {
    const box = document.createElement("p");
    box.className = "post-editor-restore";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = `Restore the autosaved text from ${hhmm(new Date(copy.saved_at))}`;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.textContent = "Keep the saved text";
    box.append(restore, " ", dismiss);
    textarea.insertAdjacentElement("beforebegin", box);
    restore.addEventListener("click", function () {
      for (const name of ["title", "excerpt", "body"]) {
        const input = textarea.form.querySelector(`[name=${name}]`);
        if (input) input.value = copy[name];
      }
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      say(textarea, "Restored. Save the post to keep it.", false);
      box.remove();
    });
    dismiss.addEventListener("click", () => box.remove());
  }

  function attachAutosave(textarea) {
    const form = textarea.form;
    const offered = document.getElementById("post-autosave");
    if (offered) offerRestore(textarea, JSON.parse(offered.textContent));
    let dirty = false;
    let submitting = false;
    form.addEventListener("input", () => (dirty = true));
    form.addEventListener("submit", () => (submitting = true));
    setInterval(async function () {
      if (!dirty || submitting) return;
      dirty = false;
      const body = new FormData();
      body.append("post", textarea.dataset.postId || "");
      for (const [name, value] of Object.entries(fieldsOf(form))) body.append(name, value);
      try {
        const saved = await send(textarea, textarea.dataset.autosaveUrl, body);
        say(textarea, `Draft autosaved at ${hhmm(new Date(saved.saved_at))}; the post changes only when you save it.`, false);
      } catch (error) {
        dirty = true;
        say(textarea, `Autosave failed (${error.message}); your text is still here.`, true);
      }
    }, AUTOSAVE_MS);
  }

  // The admin's tables of inline rows leave the first heading empty, over the cell
  // that names each saved row; a screen reader then reads that cell unannounced.
  function nameSavedRowColumns() {
    document.querySelectorAll(".tabular th.original:empty").forEach(function (th) {
      const name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = "Saved as";
      th.append(name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameSavedRowColumns();
    document.querySelectorAll("textarea[data-upload-url]").forEach(function (textarea) {
      attachUploads(textarea);
      attachAutosave(textarea);
      showPlacedFigures(textarea);
    });
  });
})();
