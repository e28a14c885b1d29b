// Enhances the discussion under an article: inline replies and posting without
// a reload. Without this script every form still works as a plain POST.
(function () {
  "use strict";
  var section = document.getElementById("comments");
  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!section || !respond || !form) return;

  var home = respond.parentNode;
  var anchor = document.createComment("respond");
  home.insertBefore(anchor, respond);
  var title = document.getElementById("reply-title");
  var defaultTitle = "Leave a Reply";
  var parentField = document.getElementById("comment_parent");

  function setTitle(name) {
    title.textContent = name ? "Reply to " + name + " " : defaultTitle;
    if (!name) return;
    var small = document.createElement("small");
    var cancel = document.createElement("a");
    cancel.id = "cancel-comment-reply-link";
    cancel.href = "#respond";
    cancel.textContent = "Cancel reply";
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      cancelReply();
    });
    small.appendChild(cancel);
    title.appendChild(small);
  }

  function cancelReply() {
    parentField.value = "";
    anchor.parentNode.insertBefore(respond, anchor.nextSibling);
    setTitle("");
  }

  function replyTo(link) {
    var item = document.getElementById("comment-" + link.dataset.replyTo);
    item.querySelector(".comment-body").after(respond);
    parentField.value = link.dataset.replyTo;
    setTitle(link.dataset.replyName);
    form.querySelector("textarea").focus();
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    }
  });

  function clearErrors() {
    form.querySelectorAll(".field-error.js, .form-errors.js").forEach(function (n) { n.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
  }

  function showErrors(errors) {
    Object.keys(errors).forEach(function (name) {
      var text = errors[name].map(function (e) { return e.message; }).join(" ");
      var field = form.elements[name];
      var note = document.createElement(name === "__all__" || !field ? "div" : "span");
      note.setAttribute("role", "alert");
      note.textContent = text;
      if (name === "__all__" || !field || field.type === "hidden") {
        note.className = "form-errors js";
        form.prepend(note);
      } else {
        note.className = "field-error js";
        field.setAttribute("aria-invalid", "true");
        field.after(note);
      }
    });
  }

  function insertComment(html, parentId) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var item = holder.firstElementChild;
    var list;
    if (parentId) {
      var parent = document.getElementById("comment-" + parentId);
      list = parent.querySelector(":scope > ol.children");
      if (!list) {
        list = document.createElement("ol");
        list.className = "children";
        parent.appendChild(list);
      }
    } else {
      list = section.querySelector("ol.comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        section.insertBefore(list, anchor);
      }
    }
    list.appendChild(item);
    return item;
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch) return;
    event.preventDefault();
    clearErrors();
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    button.textContent = "Posting…";
    var parentId = parentField.value;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        if (!result.data.ok) {
          showErrors(result.data.errors || { __all__: [{ message: "Your comment could not be sent." }] });
          return;
        }
        cancelReply();
        var item = insertComment(result.data.html, parentId);
        form.querySelector("textarea").value = "";
        item.scrollIntoView({ block: "center" });
        item.setAttribute("tabindex", "-1");
        item.focus();
      })
      .catch(function () {
        showErrors({ __all__: [{ message: "The connection failed; your comment is still in the box. Please try again." }] });
      })
      .finally(function () {
        button.disabled = false;
        button.textContent = "Post Comment";
      });
  });

  section.addEventListener("submit", function (event) {
    var like = event.target.closest(".comment-like");
    if (!like || !window.fetch) return;
    event.preventDefault();
    fetch(like.action, {
      method: "POST",
      body: new FormData(like),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        like.querySelector(".like-count").textContent = data.likes;
        like.querySelector("button").setAttribute("aria-pressed", "true");
      });
  });
})();
