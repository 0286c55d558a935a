// The public transparency page's map: public complaints only, locations rounded, no numbers or text.
(function () {
  "use strict";
  var box = document.getElementById("public-map");
  if (!box || !window.L) { return; }
  var L = window.L;
  var data = JSON.parse(box.getAttribute("data-json"));
  var map = L.map(box, { scrollWheelZoom: false }).setView([-7.47, 112.44], 10);
  L.tileLayer(data.tiles, { maxZoom: 17, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var group = L.markerClusterGroup ? L.markerClusterGroup() : L.featureGroup();
  map.addLayer(group);
  fetch("/transparansi/peta.json").then(function (r) { return r.json(); }).then(function (body) {
    var bounds = [];
    body.points.forEach(function (p) {  // [lat, lon, status]
      group.addLayer(L.circleMarker([p[0], p[1]], { radius: 6 }));
      bounds.push([p[0], p[1]]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 }); }
    box.setAttribute("data-pins", String(body.points.length));
  });
})();
