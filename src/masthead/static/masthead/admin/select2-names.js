"use strict";
// Select2, which the admin uses for autocomplete fields, draws its own combobox and
// search boxes and leaves them nameless; a screen reader then says only "combobox".
// This gives each the name of the field it stands for: the <label> of the hidden
// <select>, or the select's own aria-label where a table column has no label.
(function () {
  function fieldName(select) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const text = label ? label.textContent : select.getAttribute("aria-label") || select.name;
    return text.replace(/[:\s]+$/, "").trim();
  }

  function nameSelection(container, select) {
    const name = fieldName(select);
    const box = container.querySelector(".select2-selection");
    const rendered = container.querySelector(".select2-selection__rendered");
    if (!box || !name) return;
    box.setAttribute("aria-label", name);
    if (box.classList.contains("select2-selection--single") && rendered && rendered.id) {
      // The combobox reads as "<field> <chosen item>"; the text it shows is not a
      // textbox of its own (it takes no focus and no typing).
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
      box.id = box.id || `${rendered.id}-box`;
      box.setAttribute("aria-labelledby", `${box.id} ${rendered.id}`);
    } else {
      box.removeAttribute("aria-labelledby");
    }
    const search = container.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-label", name);
  }

  // The dropdown is moved to the end of <body> each time it opens; its list's id
  // names the select it belongs to ("select2-<select id>-results").
  function nameDropdown(container) {
    const list = container.querySelector(".select2-results__options[id]");
    const match = list && list.id.match(/^select2-(.+)-results$/);
    const select = match && document.getElementById(match[1]);
    if (!select) return;
    const name = fieldName(select);
    list.setAttribute("aria-label", name);
    const search = container.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-label", `Search ${name}`);
  }

  // Select2 lists its messages ("Searching…", "No results found") as alerts inside
  // the listbox, where only options may be; they become disabled options, and their
  // text is still spoken through one status region of the page's own.
  function status() {
    let region = document.getElementById("select2-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "select2-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.append(region);
    }
    return region;
  }

  function settleMessage(item) {
    item.setAttribute("role", "option");
    item.setAttribute("aria-disabled", "true");
    item.removeAttribute("aria-live");
    status().textContent = item.textContent;
  }

  function visit(node) {
    if (!(node instanceof Element)) return;
    const containers = node.matches(".select2-container")
      ? [node]
      : node.querySelectorAll(".select2-container");
    containers.forEach(function (container) {
      const before = container.previousElementSibling;
      if (before && before.tagName === "SELECT") nameSelection(container, before);
      else nameDropdown(container);
    });
    const dropdown = node.matches(".select2-results__options") && node.closest(".select2-container");
    if (dropdown) nameDropdown(dropdown);
    if (node.matches(".select2-results__options > li[role=alert]")) settleMessage(node);
  }

  // An open combobox names the list it controls (ARIA 1.2), not only the one it owns.
  function mirrorOwns(box) {
    const owns = box.getAttribute("aria-owns");
    if (owns) box.setAttribute("aria-controls", owns);
    else box.removeAttribute("aria-controls");
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "attributes") {
        if (change.target.classList.contains("select2-selection")) mirrorOwns(change.target);
      } else {
        change.addedNodes.forEach(visit);
      }
    });
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-owns"],
  });
})();
