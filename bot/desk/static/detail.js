// The ticket's location on a small map (Leaflet).
(function () {
  "use strict";
  var box = document.getElementById("ticket-map");
  if (!box || !window.L) { return; }
  var p = JSON.parse(box.getAttribute("data-json"));
  var map = window.L.map(box, { scrollWheelZoom: false }).setView([p.lat, p.lon], 16);
  window.L.tileLayer(p.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  window.L.marker([p.lat, p.lon], { title: p.n, alt: p.n }).addTo(map);
})();
