// The ticket page: its location on a small map (Leaflet), canned replies, and live changes (server-sent events).
(function () {
  "use strict";
  var box = document.getElementById("ticket-map");
  if (box && window.L) {
    var p = JSON.parse(box.getAttribute("data-json"));
    var map = window.L.map(box, { scrollWheelZoom: false }).setView([p.lat, p.lon], 16);
    window.L.tileLayer(p.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    window.L.marker([p.lat, p.lon], { title: p.n, alt: p.n }).addTo(map);
  }
  // listened to on the document: the action forms are swapped when the ticket opens or closes elsewhere
  document.addEventListener("change", function (event) {
    var canned = event.target, reply = document.getElementById("reply-text");
    if (canned.id === "canned" && canned.value && reply) { reply.value = canned.value; reply.focus(); }
  });
  // One submission per form: a second click while the first is on its way would send a reply twice.
  document.addEventListener("submit", function (event) {
    if (event.target.getAttribute("data-sent")) { event.preventDefault(); return; }
    event.target.setAttribute("data-sent", "true");
  });
  window.addEventListener("pageshow", function (event) {  // back to this page from the browser's cache
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sent]"), function (f) {
      f.removeAttribute("data-sent");
    });
  });
  // Live: another officer's reply, a resident's answer, a status change. The history, facts and photos are
  // fetched again and swapped in (what the officer is typing stays: the forms are not part of them). The
  // forms are swapped only when the ticket was opened or closed elsewhere, and not while the officer types
  // (then a notice offers to reload).
  var notice = document.getElementById("live-notice");
  if (!notice || !window.EventSource) { return; }
  function typing() {
    var fields = document.querySelectorAll("textarea");
    for (var i = 0; i < fields.length; i++) { if (fields[i].value) { return true; } }
    return false;
  }
  function forms(section) {
    return Array.prototype.map.call(section.querySelectorAll("form"), function (f) { return f.id; }).join(" ");
  }
  function refresh() {
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["history", "ticket-status", "ticket-assignee", "ticket-opd", "ticket-topic", "ticket-photos"]
          .forEach(function (id) {
            var mine = document.getElementById(id), fresh = doc.getElementById(id);
            if (mine && fresh) { mine.innerHTML = fresh.innerHTML; }
          });
        // swapping the forms always would move the focus and lose what is typed
        var mine = document.getElementById("actions"), fresh = doc.getElementById("actions");
        var stale = mine && fresh && forms(mine) !== forms(fresh);
        if (stale && !typing()) { mine.innerHTML = fresh.innerHTML; stale = false; }
        notice.hidden = !stale;
        document.body.setAttribute("data-live", String(Number(document.body.getAttribute("data-live") || 0) + 1));
      })
      .catch(function () { notice.hidden = false; });
  }
  var source = new window.EventSource(notice.getAttribute("data-stream"));
  source.addEventListener("open", function () { notice.setAttribute("data-connected", "true"); });
  source.addEventListener("signed_out", function () {  // signed out elsewhere, or the session ran out
    source.close();
    window.location.href = "/desk/masuk?lang=" + (document.documentElement.lang === "en" ? "en" : "id");
  });
  source.addEventListener("ticket", function (event) {
    var change = JSON.parse(event.data);
    if (change.gone) { notice.hidden = false; source.close(); return; }
    refresh();
  });
})();
