#!/usr/bin/env bash
# Re-fetch the desk's browser libraries from the npm registry at pinned versions into bot/desk/static/vendor/.
# The dist files are committed (no CDN and no npm at run time); run this only to check or update them.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=bot/desk/static/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent chart.js@4.4.7 leaflet@1.9.4 leaflet.markercluster@1.5.3 >/dev/null)
for tgz in "$WORK"/*.tgz; do mkdir -p "${tgz%.tgz}"; tar xzf "$tgz" -C "${tgz%.tgz}"; done
mkdir -p "$VENDOR/leaflet/images"
cp "$WORK/chart.js-4.4.7/package/dist/chart.umd.js" "$VENDOR/"
cp "$WORK/chart.js-4.4.7/package/LICENSE.md" "$VENDOR/LICENSE-chartjs.md"
cp "$WORK/leaflet-1.9.4/package/dist/leaflet.js" "$WORK/leaflet-1.9.4/package/dist/leaflet.css" "$VENDOR/leaflet/"
cp "$WORK/leaflet-1.9.4/package/dist/images/"* "$VENDOR/leaflet/images/"
cp "$WORK/leaflet-1.9.4/package/LICENSE" "$VENDOR/leaflet/LICENSE-leaflet"
cp "$WORK/leaflet.markercluster-1.5.3/package/dist/leaflet.markercluster.js" \
   "$WORK/leaflet.markercluster-1.5.3/package/dist/MarkerCluster.css" \
   "$WORK/leaflet.markercluster-1.5.3/package/dist/MarkerCluster.Default.css" "$VENDOR/leaflet/"
cp "$WORK/leaflet.markercluster-1.5.3/package/MIT-LICENCE.txt" "$VENDOR/leaflet/LICENSE-markercluster"
git status --short "$VENDOR" || true
echo "vendor files refreshed in $VENDOR (git diff shows any change)"
