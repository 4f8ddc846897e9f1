#!/usr/bin/env bash
# Vendor the browser pose model: @mediapipe/pose (JavaScript, WebAssembly, model files) into
# src/hamcoach/live/static/mediapipe/, so the live page never fetches anything from a CDN.
#
#   scripts/vendor_mediapipe_js.sh            # needs npm and the npm registry
#
# Kept: pose.js, the SIMD and non-SIMD WebAssembly runtimes, the packed assets, the graph, and
# the lite and full landmark models (~25 MB). Left out: pose_landmark_heavy.tflite (27.7 MB;
# the page offers modelComplexity 0 and 1 only). The package's licence is Apache-2.0 (its
# package.json); the package ships no LICENSE file, so the Apache-2.0 text is written beside it.
set -euo pipefail
VERSION="0.5.1675469404"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/src/hamcoach/live/static/mediapipe"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "@mediapipe/pose@$VERSION" >/dev/null && tar xzf mediapipe-pose-*.tgz)
mkdir -p "$DEST"
FILES=(
  pose.js
  pose_web.binarypb
  pose_solution_packed_assets.data
  pose_solution_packed_assets_loader.js
  pose_solution_simd_wasm_bin.js
  pose_solution_simd_wasm_bin.wasm
  pose_solution_simd_wasm_bin.data
  pose_solution_wasm_bin.js
  pose_solution_wasm_bin.wasm
  pose_landmark_lite.tflite
  pose_landmark_full.tflite
  package.json
  README.md
)
for f in "${FILES[@]}"; do
  install -m 0644 "$TMP/package/$f" "$DEST/$f"
done
if [ -f /usr/share/common-licenses/Apache-2.0 ]; then
  cp /usr/share/common-licenses/Apache-2.0 "$DEST/LICENSE"
fi
cat > "$DEST/VENDORED.md" <<NOTE
# @mediapipe/pose $VERSION (vendored)

Copied from the npm package by \`scripts/vendor_mediapipe_js.sh\`. Licence: Apache-2.0 (see the
package's package.json; full text in LICENSE). Copyright Google LLC. Not modified.
Left out: pose_landmark_heavy.tflite.
NOTE
du -sh "$DEST"
