#!/usr/bin/env bash
# The screenshots in docs/images, taken by headless Chromium at 1280 and 320 px (the top 1500 px of
# each page) with the same check CI runs (.ci/render-check.sh: html-validate, axe-core, no
# horizontal scrolling): fixtures/valid/authority.yaml rendered in Finnish (docs/publishing.md, the
# README), and the findings report of fixtures/ (`lint --format html`, docs/output.md).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/notice" "$dir/report"
target/release/seloste render fixtures/valid/authority.yaml --lang "fi" \
  --output "$dir/notice/authority.fi.html"
bash .ci/render-check.sh "$dir/notice" docs/images/notice-authority-fi.png
target/release/seloste lint fixtures --format html --output "$dir/report/report.html" || [ $? = 1 ]
bash .ci/render-check.sh "$dir/report" docs/images/report.png
