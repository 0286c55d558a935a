// The dashboard's chart (Chart.js) and map (Leaflet with clustering, filters, optional kecamatan/desa
// boundaries); the numbers are also in the tables.
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-data");
  if (!holder) { return; }
  var data = JSON.parse(holder.getAttribute("data-json"));
  var canvas = document.getElementById("weeks-chart");
  if (canvas && window.Chart) {
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.weeks, datasets: [
        { label: data.labels.received, data: data.received, backgroundColor: "#0b5394" },
        { label: data.labels.resolved, data: data.resolved, backgroundColor: "#5a9e5f" }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var L = window.L;
  var map = L.map(box, { scrollWheelZoom: false }).setView([-7.47, 112.44], 10);
  L.tileLayer(data.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var group = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true }) : L.featureGroup();
  map.addLayer(group);
  if (data.boundaries) {
    fetch("/desk/batas.json", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (!geo) { return; }
        L.geoJSON(geo, {
          style: function (f) { return { color: f.properties.desa ? "#7a7a7a" : "#0b5394", weight: f.properties.desa ? 1 : 2, fillOpacity: 0.03 }; },
          onEachFeature: function (f, layer) {
            layer.bindTooltip(f.properties.desa ? f.properties.desa + " · " + f.properties.kecamatan : f.properties.kecamatan);
          }
        }).addTo(map);
        box.setAttribute("data-boundaries", "1");
      });
  }
  var form = document.getElementById("map-filters");
  var count = document.getElementById("map-count");
  var first = true;
  function load() {
    var query = new URLSearchParams(new FormData(form)).toString();
    fetch("/desk/peta.json?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        group.clearLayers();
        var bounds = [];
        var markers = body.points.map(function (p) {  // [lat, lon, number, status]
          var marker = L.marker([p[0], p[1]], { title: p[2], alt: p[2] });
          var link = document.createElement("a");
          link.href = "/desk/tiket/" + encodeURIComponent(p[2]);
          link.textContent = p[2] + " · " + (data.statuses[p[3]] || p[3]);
          marker.bindPopup(link);
          bounds.push([p[0], p[1]]);
          return marker;
        });
        group.addLayers ? group.addLayers(markers) : markers.forEach(function (m) { group.addLayer(m); });
        if (bounds.length && first) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
        first = false;
        if (count) { count.textContent = String(body.points.length); }
        box.setAttribute("data-pins", String(body.points.length));
      });
  }
  if (form) {
    form.addEventListener("change", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  }
  load();
})();
