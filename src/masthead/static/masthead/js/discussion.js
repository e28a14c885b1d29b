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
  var opener = null; // the Reply link that moved the form, to hand the focus back to

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
      var back = opener;
      cancelReply();
      if (back) back.focus();
    });
    small.appendChild(cancel);
    title.appendChild(small);
  }

  function cancelReply() {
    opener = null;
    parentField.value = "";
    anchor.parentNode.insertBefore(respond, anchor.nextSibling);
    setTitle("");
  }

  function replyTo(link) {
    var item = document.getElementById("comment-" + link.dataset.replyTo);
    item.querySelector(".comment-body").after(respond);
    parentField.value = link.dataset.replyTo;
    setTitle(link.dataset.replyName);
    opener = link;
    firstToFill().focus();
  }

  function shown(field) {
    return field.checkVisibility ? field.checkVisibility() : field.offsetParent !== null;
  }

  // Where typing starts: the first required field still empty (a guest's name,
  // say), else the comment box; fields folded away under a remembered name count
  // as filled.
  function firstToFill() {
    var fields = form.querySelectorAll("input[required], textarea[required]");
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value.trim() && shown(fields[i])) return fields[i];
    }
    return form.querySelector("textarea");
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    }
  });

  function clearErrors() {
    form.querySelectorAll(".field-error, .form-errors").forEach(function (n) { n.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      var rest = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== field.id + "-error";
      });
      if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
      else field.removeAttribute("aria-describedby");
    });
  }

  // Each message sits under its field and describes it, so a screen reader says
  // it with the field; the focus goes to the first field to mend, or to the
  // message for the whole form.
  function showErrors(errors) {
    var first = null;
    var general = null;
    Object.keys(errors).forEach(function (name) {
      var text = errors[name].map(function (e) { return e.message; }).join(" ");
      var field = form.elements[name];
      if (name === "__all__" || !field || !field.id || field.type === "hidden") {
        if (!general) {
          general = document.createElement("div");
          general.className = "form-errors js";
          general.setAttribute("role", "alert");
          general.tabIndex = -1;
          form.prepend(general);
        }
        var line = document.createElement("p");
        line.textContent = text;
        general.appendChild(line);
        return;
      }
      var note = document.createElement("span");
      note.className = "field-error js";
      note.id = field.id + "-error";
      note.textContent = text;
      field.after(note);
      field.setAttribute("aria-invalid", "true");
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(note.id);
      field.setAttribute("aria-describedby", described.join(" "));
    });
    form.querySelectorAll("[aria-invalid=true]").forEach(function (field) {
      if (!first && shown(field)) first = field;
    });
    if (!first) {
      var folded = form.querySelector("details.identity [aria-invalid=true]");
      if (folded) {
        folded.closest("details").open = true;
        first = folded;
      }
    }
    var target = first || general;
    if (target) target.focus();
  }

  // Said after posting: what became of the comment, and a "Notify me" box
  // waiting on its emailed link. A status region, so it is read out wherever
  // the focus is.
  var statusRegion = document.getElementById("respond-status");

  function showNotice() {
    if (!statusRegion) return;
    statusRegion.textContent = "";
    Array.prototype.forEach.call(arguments, function (text) {
      if (!text) return;
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = text;
      statusRegion.appendChild(note);
    });
  }

  function postedStatus(status) {
    return status === "approved" ? "Your comment is posted." : "Your comment is awaiting moderation.";
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
    showNotice("");
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    button.textContent = "Posting…";
    var parentId = parentField.value;
    Promise.resolve(personal).then(function () {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
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
        showNotice(postedStatus(result.data.status), result.data.notice);
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

  // The page may be the copy everyone gets: this reader's own parts come from
  // a private endpoint. A browser that has commented asks at once; any other
  // asks when its reader starts on the form, for a token stamped now.
  var personal = null;

  function hiddenInput(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function fillPersonal(me) {
    form.elements.form_token.value = me.form_token;
    var remembered = me.remembered || {};
    ["author", "email", "url"].forEach(function (name) {
      var field = form.elements[name];
      if (field && remembered[name] && !field.value) field.value = remembered[name];
    });
    if (remembered.author && form.elements.remember) form.elements.remember.checked = true;
    (me.held || []).forEach(function (held) {
      if (!document.getElementById("comment-" + held.id)) insertComment(held.html, held.parent);
    });
    (me.own || []).forEach(function (own) {
      var actions = document.querySelector("#comment-" + own.id + " > .comment-body .comment-actions");
      if (!actions || actions.querySelector(".comment-edit-link")) return;
      [["Edit", own.edit, "comment-edit-link"], ["Delete", own.delete, "comment-delete-link"]].forEach(function (link) {
        var a = document.createElement("a");
        a.textContent = link[0];
        a.href = link[1];
        a.className = link[2];
        actions.append(" ", a);
      });
    });
    if (me.identity_html) {
      var choice = document.getElementById("identity-choice");
      var holder = document.createElement("div");
      holder.innerHTML = me.identity_html.trim();
      if (choice) choice.replaceWith(holder.firstElementChild);
      var guest = form.querySelector(".identity");
      if (guest) guest.remove();
      form.prepend(hiddenInput("csrfmiddlewaretoken", me.csrf_token));
      section.querySelectorAll(".comment-like").forEach(function (like) {
        like.prepend(hiddenInput("csrfmiddlewaretoken", me.csrf_token));
      });
    }
  }

  function askPersonal() {
    if (personal || !section.dataset.me || !window.fetch) return personal;
    personal = fetch(section.dataset.me, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(fillPersonal)
      .catch(function () { personal = null; });
    return personal;
  }

  if (section.dataset.me) {
    if (/(^|;\s*)masthead_known=/.test(document.cookie)) askPersonal();
    else form.addEventListener("focusin", askPersonal, { once: true });
  }

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

// Identity on the reply form: "Connecting to PROVIDER…" while the log-in
// handshake starts, and the draft kept across logging in and out.
(function () {
  "use strict";
  var form = document.getElementById("commentform");
  if (!form || !window.sessionStorage) return;
  var textarea = form.querySelector("textarea[name=comment]");
  var draftKey = "masthead-draft:" + form.dataset.post;

  function keepDraft() {
    try {
      if (textarea.value.trim()) sessionStorage.setItem(draftKey, textarea.value);
    } catch (e) { /* storage full or disabled: the draft is simply not kept */ }
  }

  var kept = sessionStorage.getItem(draftKey);
  if (kept !== null) {
    if (!textarea.value) textarea.value = kept;
    sessionStorage.removeItem(draftKey);
  }

  if (location.hash === "#identity-choice") {
    var details = form.querySelector("details.identity");
    if (details) details.open = true;
    var first = form.querySelector("#author") || textarea;
    first.focus();
  }

  var logout = document.getElementById("identity-logout");
  if (logout) logout.addEventListener("submit", keepDraft);

  // allauth starts a log-in only on a POST with its CSRF token; the article a
  // guest sees carries no token, so fetch the provider's own page for one.
  function startLogin(link) {
    return fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var token = page.querySelector("form[method=post] input[name=csrfmiddlewaretoken]");
        if (!token) throw new Error("no token");
        var post = document.createElement("form");
        post.method = "post";
        post.action = link.href;
        post.hidden = true;
        var params = new URL(link.href, location.href).searchParams;
        var fields = { csrfmiddlewaretoken: token.value, process: params.get("process") || "login" };
        if (params.get("next")) fields.next = params.get("next");
        Object.keys(fields).forEach(function (name) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = fields[name];
          post.appendChild(input);
        });
        document.body.appendChild(post);
        post.submit();
      });
  }

  var choice = document.getElementById("identity-choice");
  if (!choice || !window.fetch) return;
  var status = choice.querySelector(".identity-connecting");
  choice.addEventListener("click", function (event) {
    var link = event.target.closest(".provider-login");
    if (!link) return;
    event.preventDefault();
    keepDraft();
    status.textContent = "Connecting to " + link.dataset.providerName + "…";
    status.hidden = false;
    choice.classList.add("is-connecting");
    startLogin(link).catch(function () {
      window.location.href = link.href;
    });
  });
})();
