// The clinician's desk: filtering, ticking, errors beside their fields, and the PDF actions.
// Only the clinician's name and contact are remembered (localStorage); never the patient's.
"use strict";
(function () {
  var form = document.getElementById("desk");
  if (!form) return;
  var summary = document.getElementById("summary");
  var statusLine = document.getElementById("status");
  var frame = document.getElementById("preview");
  var printWhenLoaded = false;
  var previewing = false;

  function $(id) { return document.getElementById(id); }

  // -- remembered clinician details ------------------------------------------------
  form.querySelectorAll("[data-remember]").forEach(function (el) {
    var key = "handouts-desk-" + el.name;
    try { if (!el.value && localStorage.getItem(key)) el.value = localStorage.getItem(key); } catch (e) { /* storage off */ }
    el.addEventListener("change", function () {
      try { localStorage.setItem(key, el.value); } catch (e) { /* storage off */ }
    });
  });

  // -- ticking shows the dose fields -------------------------------------------------
  function showDose(box) {
    var id = box.getAttribute("data-tick");
    $("dose-" + id).hidden = !box.checked;
    box.closest(".card").classList.toggle("ticked", box.checked);
  }
  form.querySelectorAll("[data-tick]").forEach(function (box) {
    showDose(box);
    box.addEventListener("change", function () { showDose(box); });
  });

  // -- filter by position and search by name ---------------------------------------
  var search = $("search"), position = $("position"), shown = $("shown");
  function filter() {
    var q = search.value.trim().toLowerCase(), pos = position.value, n = 0, all = 0;
    form.querySelectorAll(".card").forEach(function (card) {
      all += 1;
      var ok = (!q || card.getAttribute("data-name").indexOf(q) >= 0) &&
        (!pos || card.getAttribute("data-positions").split("|").indexOf(pos) >= 0);
      var ticked = card.querySelector("[data-tick]").checked;
      card.hidden = !ok && !ticked;  // a ticked exercise never disappears
      if (!card.hidden) n += 1;
    });
    shown.textContent = n === all ? all + (all === 1 ? " exercise" : " exercises") : n + " of " + all + " exercises shown";
  }
  search.addEventListener("input", filter);
  position.addEventListener("change", filter);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") ev.preventDefault(); });

  // -- errors beside their fields ----------------------------------------------------
  function setError(name, message) {
    var el = $("f-" + name), err = $("err-" + name);
    if (!err) return;
    err.textContent = message || "";
    err.hidden = !message;
    if (el) {
      if (message) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    }
  }
  function clearErrors() {
    form.querySelectorAll(".error").forEach(function (err) { setError(err.id.slice(4), ""); });
    summary.hidden = true;
    summary.textContent = "";
  }
  function showErrors(result) {
    clearErrors();
    Object.keys(result.fields).forEach(function (name) { setError(name, result.fields[name]); });
    var n = result.summary.length;
    var h = document.createElement("h2");
    h.textContent = "Please correct " + n + " problem" + (n === 1 ? "" : "s");
    var ul = document.createElement("ul");
    result.summary.forEach(function (p) {
      var li = document.createElement("li");
      if (p.field && $("f-" + p.field)) {
        var a = document.createElement("a");
        a.href = "#f-" + p.field;
        a.textContent = p.message;
        li.appendChild(a);
      } else {
        li.textContent = p.message;
      }
      ul.appendChild(li);
    });
    summary.appendChild(h);
    summary.appendChild(ul);
    summary.hidden = false;
    var first = Object.keys(result.fields)[0];
    var target = first && $("f-" + first);
    if (target) {
      var card = target.closest(".card");
      if (card) card.hidden = false;
      target.focus();
    } else {
      summary.focus();
    }
  }
  summary.addEventListener("click", function (ev) {
    var a = ev.target.closest("a");
    if (!a) return;
    ev.preventDefault();
    var el = document.querySelector(a.getAttribute("href"));
    if (el) el.focus();
  });

  // The same bounds, in the same words, as the programme check: "must be from 1 to 100, got 500".
  // Checked as the clinician types, so the message never moves a button under a click.
  form.querySelectorAll("input[type=number]").forEach(function (el) {
    el.addEventListener("input", function () {
      var v = el.value.trim(), lo = Number(el.min), hi = Number(el.max);
      if (/^-?(0|[1-9][0-9]*)$/.test(v) && (Number(v) < lo || Number(v) > hi)) {
        setError(el.name, "must be from " + lo + " to " + hi + ", got " + Number(v));
      } else if (el.validity.badInput) {
        setError(el.name, "expected a whole number");
      } else {
        setError(el.name, "");
      }
    });
  });

  // -- actions: check first, then let the form go where the action needs -------------
  function body(action) {
    var data = new URLSearchParams(new FormData(form));
    data.set("action", action);
    return data;
  }
  // The PDF and the programme file are fetched and handed to the page as blob: URLs. A form
  // posted to the preview frame would leave its body (the patient's name) in the browser's
  // session history on disk; a blob: URL carries nothing but a random id.
  var shownUrl = null;
  function fileName(resp, fallback) {
    var m = /filename="([^"]+)"/.exec(resp.headers.get("Content-Disposition") || "");
    return m ? m[1] : fallback;
  }
  function fetchFile(action) {
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: body(action),
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      if (!resp.ok || !(type.indexOf("application/pdf") === 0 || type.indexOf("text/yaml") === 0)) {
        throw new Error("not made");
      }
      return resp.blob().then(function (blob) { return { blob: blob, name: fileName(resp, "programme") }; });
    });
  }
  function show(file, print) {
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = URL.createObjectURL(file.blob);
    printWhenLoaded = print;
    previewing = true;
    frame.src = shownUrl;
  }
  function save(file) {
    var url = URL.createObjectURL(file.blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = file.name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  form.addEventListener("submit", function (ev) {
    var action = ev.submitter && ev.submitter.value ? ev.submitter.value : "preview";
    ev.preventDefault();
    statusLine.textContent = "Checking…";
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      body: body(action),
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (result) {
      if (!result.ok) {
        showErrors(result);
        statusLine.textContent = "The programme has problems; see the messages beside the fields.";
        return;
      }
      clearErrors();
      var inFrame = action === "preview" || action === "print";
      statusLine.textContent = inFrame ? "Making the PDF…" : "Making the file…";
      return fetchFile(action).then(function (file) {
        if (inFrame) {
          show(file, action === "print");
        } else {
          save(file);
          statusLine.textContent = action === "save" ? "Programme file saved." : "PDF downloaded.";
        }
      });
    }).catch(function () {
      statusLine.textContent = "The desk did not answer, or could not make the file. Is it still running?";
    });
  });
  frame.addEventListener("load", function () {
    if (!previewing) return;
    previewing = false;
    statusLine.textContent = "Preview ready.";
    if (printWhenLoaded) {
      printWhenLoaded = false;
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { /* the viewer prints */ }
    }
  });
})();
