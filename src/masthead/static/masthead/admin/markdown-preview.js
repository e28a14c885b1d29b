"use strict";
// Shows the rendered body under each Markdown textarea while the editor types.
// Without this script the field is a plain textarea and the form works the same.
(function () {
  const DELAY_MS = 400;

  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attach(textarea) {
    const pane = document.createElement("section");
    pane.className = "markdown-preview";
    const heading = document.createElement("h3");
    heading.textContent = "Preview";
    const output = document.createElement("div");
    output.className = "markdown-preview-output";
    output.setAttribute("aria-live", "polite");
    pane.append(heading, output);
    (textarea.closest(".form-row") || textarea.parentElement).append(pane);

    let timer = null;
    let inFlight = null;

    async function refresh() {
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      try {
        const response = await fetch(textarea.dataset.previewUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(textarea.form) },
          body: new URLSearchParams({ source: textarea.value }),
          signal: inFlight.signal,
        });
        if (response.ok) {
          // The server returns sanitized HTML, the same the article will show.
          output.innerHTML = await response.text();
          pane.classList.remove("markdown-preview-failed");
        } else {
          pane.classList.add("markdown-preview-failed");
        }
      } catch (error) {
        if (error.name !== "AbortError") pane.classList.add("markdown-preview-failed");
      }
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });
    if (textarea.value) refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]").forEach(attach);
  });
})();
