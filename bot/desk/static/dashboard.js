// The dashboard's chart (Chart.js) and map (Leaflet with clustering); the numbers are also in the tables.
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
  if (box && window.L) {
    var map = window.L.map(box, { scrollWheelZoom: false });
    window.L.tileLayer(data.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    var group = window.L.markerClusterGroup ? window.L.markerClusterGroup() : window.L.featureGroup();
    var bounds = [];
    data.points.forEach(function (p) {  // [lat, lon, number, status]
      var marker = window.L.marker([p[0], p[1]], { title: p[2], alt: p[2] });
      var link = document.createElement("a");
      link.href = "/desk/tiket/" + encodeURIComponent(p[2]);
      link.textContent = p[2] + " · " + (data.statuses[p[3]] || p[3]);
      marker.bindPopup(link);
      group.addLayer(marker);
      bounds.push([p[0], p[1]]);
    });
    map.addLayer(group);
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); } else { map.setView([-7.47, 112.44], 10); }
    box.setAttribute("data-pins", String(data.points.length));
  }
})();
