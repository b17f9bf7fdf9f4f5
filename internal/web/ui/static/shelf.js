// Shelf's only script: progressive enhancement. Every page works without it.
"use strict";
document.addEventListener("change", function (e) {
  if (e.target.matches("select[data-autosubmit]") && e.target.value) e.target.form.submit();
  // A spec's "free" box is keyed by the spec's code.
  if (e.target.matches("input[name=spec_code]")) {
    var box = e.target.closest("tr").querySelector("input[name=spec_free]");
    if (box) box.value = e.target.value;
  }
});

document.addEventListener("click", function (e) {
  var add = e.target.closest("[data-add-row]");
  if (add) {
    var body = document.getElementById(add.dataset.addRow).querySelector("tbody");
    body.appendChild(document.getElementById("spec-row-template").content.cloneNode(true));
    body.lastElementChild.querySelector("input").focus();
  }
  var remove = e.target.closest("[data-remove-row]");
  if (remove) {
    var row = remove.closest("tr");
    if (row.parentNode.children.length > 1) row.remove();
    else row.querySelectorAll("input").forEach(function (i) { i.value = ""; i.checked = false; });
    validateSoon();
  }
});

// Live validation: the editor (and the cool-app application form) asks
// the server to check the form as it is (nothing is saved) and shows each
// field's message next to it. A form names its endpoint in
// data-live-validate and its findings box in data-live-box when they are
// not the editor's.
var timer = null;
function validateSoon() {
  var form = document.querySelector("form[data-live-validate]");
  if (!form) return;
  clearTimeout(timer);
  timer = setTimeout(function () { validate(form); }, 400);
}

function validate(form) {
  var data = new URLSearchParams();
  new FormData(form).forEach(function (v, k) { if (typeof v === "string") data.append(k, v); });
  // getAttribute: form.action is shadowed by the buttons named "action".
  var url = form.dataset.liveValidate || form.getAttribute("action").replace(/\/edit$/, "/validate");
  fetch(url, {
    method: "POST", body: data, credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" }
  }).then(function (r) { return r.ok ? r.json() : null; }).then(function (res) {
    if (!res) return;
    form.querySelectorAll(".live-error").forEach(function (n) { n.remove(); });
    Object.keys(res.errors || {}).forEach(function (field) {
      var input = form.querySelector("#f-" + CSS.escape(field.replace(/\./g, "_")));
      var note = document.createElement("small");
      note.className = "field-error live-error";
      note.textContent = res.errors[field];
      if (input) input.insertAdjacentElement("afterend", note);
      else document.getElementById("specs").insertAdjacentElement("afterend", note), note.textContent = ((res.labels || {})[field] || "") + " " + res.errors[field];
    });
    var box = document.getElementById(form.dataset.liveBox || "precheck");
    if (box && res.findings) {
      var ul = document.createElement("ul");
      ul.className = "findings";
      res.findings.forEach(function (f) {
        var li = document.createElement("li");
        li.className = f.severity;
        if (f.label !== undefined) {
          // Already in the reader's language: the field's name, then the problem.
          li.className = "finding " + f.severity;
          li.dataset.field = f.field;
          var name = document.createElement("strong");
          name.textContent = f.label;
          li.append(name, " " + f.text);
        } else li.textContent = f.field + " — " + f.message;
        ul.appendChild(li);
      });
      var shown = ul;
      if (!res.findings.length && res.ok) {
        shown = document.createElement("p");
        shown.id = "findings-ok";
        shown.textContent = res.ok;
      }
      var old = box.querySelector("ul, p");
      if (old) old.replaceWith(shown); else box.appendChild(shown);
    }
  }).catch(function () {});
}

document.addEventListener("input", function (e) {
  if (e.target.closest("form[data-live-validate]")) validateSoon();
});

// The receipt's print button.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});

// Suggestions as the customer types in the storefront's search box.
(function () {
  var box = document.querySelector("input[data-suggest]");
  if (!box) return;
  var list = document.getElementById(box.getAttribute("list"));
  var timer = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (!q) { list.replaceChildren(); return; }
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (d) {
        var en = document.documentElement.lang === "en";
        list.replaceChildren.apply(list, (d.items || []).map(function (s) {
          var o = document.createElement("option");
          o.value = en && s.name_en ? s.name_en : s.name;
          return o;
        }));
      }).catch(function () {});
    }, 150);
  });
})();
