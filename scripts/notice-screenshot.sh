#!/usr/bin/env bash
# The screenshots of docs/publishing.md and the README: fixtures/valid/authority.yaml rendered in
# Finnish, taken by headless Chromium at 1280 and 320 px (the top 1500 px of the page), with the
# same check CI runs (.ci/render-check.sh: html-validate, axe-core, no horizontal scrolling).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/seloste render fixtures/valid/authority.yaml --lang "fi" --output "$dir/authority.fi.html"
bash .ci/render-check.sh "$dir" docs/images/notice-authority-fi.png
