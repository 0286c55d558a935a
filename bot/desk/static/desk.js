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
// Lists and the dashboard: a notice when tickets this staff member may see change (server-sent events).
(function () {
  "use strict";
  var notice = document.getElementById("list-live");
  if (!notice || !window.EventSource) { return; }
  var changed = {};
  var source = new window.EventSource("/desk/live");
  source.addEventListener("ticket", function (event) {
    var change = JSON.parse(event.data);
    changed[change.number] = change.status;
    var row = document.querySelector('tr[data-number="' + change.number + '"] .status');
    if (row && change.status) { row.textContent = change.status; }
    notice.querySelector(".count").textContent = String(Object.keys(changed).length);
    notice.hidden = false;
  });
})();
