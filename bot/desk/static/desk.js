// The desk's small script: staff sign-in (code by chat, then the code) and sign-out. No inline script (CSP).
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  function post(url, body) {
    return fetch(url + "?lang=" + lang, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {})
    }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  var status = document.getElementById("signin-status");
  function say(text) { if (status) { status.textContent = text || ""; } }
  var ask = document.getElementById("ask-code");
  if (ask) {
    ask.addEventListener("submit", function (event) {
      event.preventDefault();
      post("/staff/masuk/kode", { identity: document.getElementById("identity").value })
        .then(function (r) { say(r.data.message); document.getElementById("code").focus(); })
        .catch(function () { say("…"); });
    });
  }
  var give = document.getElementById("give-code");
  if (give) {
    give.addEventListener("submit", function (event) {
      event.preventDefault();
      post("/staff/masuk", { code: document.getElementById("code").value })
        .then(function (r) { say(r.data.message); if (r.ok) { window.location.href = "/desk?lang=" + lang; } })
        .catch(function () { say("…"); });
    });
  }
  var out = document.getElementById("sign-out");
  if (out) {
    out.addEventListener("click", function () {
      post("/staff/keluar").then(function () { window.location.href = "/desk/masuk?lang=" + lang; });
    });
  }
})();
// Lists: changes of the tickets this staff member may see (server-sent events). A listed row shows its new
// status and what happened; the notice counts every changed ticket (new ones too) and offers a reload.
(function () {
  "use strict";
  var notice = document.getElementById("list-live");
  if (!notice || !window.EventSource) { return; }
  var names = JSON.parse(notice.getAttribute("data-statuses") || "{}");
  var changed = {};
  var source = new window.EventSource("/desk/live");
  source.addEventListener("open", function () { notice.setAttribute("data-connected", "true"); });
  source.addEventListener("signed_out", function () {  // signed out elsewhere, or the session ran out
    source.close();
    window.location.href = "/desk/masuk?lang=" + (document.documentElement.lang === "en" ? "en" : "id");
  });
  source.addEventListener("ticket", function (event) {
    var change = JSON.parse(event.data);
    changed[change.number] = change.status;
    var row = document.querySelector('tr[data-number="' + change.number + '"]');
    if (row) {
      var status = row.querySelector(".status");
      if (status && change.status) { status.textContent = names[change.status] || change.status; }
      var badge = row.querySelector(".live");
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge live";
        var cell = status ? status.parentNode : row.cells[0];
        cell.appendChild(document.createTextNode(" "));
        cell.appendChild(badge);
      }
      badge.textContent = notice.getAttribute(change.kind === "message_in" ? "data-message" : "data-updated");
      row.classList.add("changed");
    }
    notice.querySelector(".count").textContent = String(Object.keys(changed).length);
    notice.hidden = false;
  });
})();
