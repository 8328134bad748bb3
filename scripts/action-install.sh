#!/usr/bin/env bash
# The install step of the GitHub Action (action.yml), also run by the tests: puts `seloste` on
# PATH for the later steps.
#
# When the action is used at a release tag (`uses: seloste/seloste@v0.1.0`, the tag being `v` and
# the version in the action's Cargo.toml), it downloads that release's archive for the runner's
# platform and checks it against the release's SHA256SUMS: a few seconds. Any other ref (a
# branch, a commit SHA, `./` in this repository) has no release archive, so seloste is built from
# the action's checkout with `cargo install --locked` (a few minutes, needs cargo).
#
# Inputs are environment variables (never interpolated into the script): SELOSTE_ACTION_REF and
# SELOSTE_ACTION_REPOSITORY (`github.action_ref` / `github.action_repository`, which the runner
# fills in `env:` but not inside `run:` of a composite action), SELOSTE_INSTALL (`auto`, the
# default; `release` fails instead of building; `source` always builds), RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_PATH, and SELOSTE_DOWNLOAD_BASE (default
# https://github.com; the tests point it at a local directory).
set -euo pipefail

action=${GITHUB_ACTION_PATH:?}
temp=${RUNNER_TEMP:?}
ref=${SELOSTE_ACTION_REF:-}
repository=${SELOSTE_ACTION_REPOSITORY:-seloste/seloste}
mode=${SELOSTE_INSTALL:-auto}
base=${SELOSTE_DOWNLOAD_BASE:-https://github.com}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action/Cargo.toml" | head -n 1)
bin="$temp/seloste/bin"
mkdir -p "$bin"

case "$mode" in
  auto | release | source) ;;
  *)
    echo "::error title=seloste::install must be auto, release or source, not '$mode'"
    exit 2
    ;;
esac

# The release target of the runner's platform (the names the release workflow builds).
target=""
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
esac

from_source() {
  echo "Building seloste $version from the action's checkout with cargo ($1)"
  # A target directory of its own lets a second use of the action in the same job reuse the
  # build instead of compiling again.
  CARGO_TARGET_DIR="$temp/seloste-target" \
    cargo install --locked --path "$action" --root "$temp/seloste"
}

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

from_release() {
  local tag="v$version"
  local archive="seloste-$tag-$target.tar.gz"
  if [ "$target" = x86_64-pc-windows-msvc ]; then
    archive="seloste-$tag-$target.zip"
  fi
  local url="$base/$repository/releases/download/$tag"
  local dir="$temp/seloste-download"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "Downloading seloste $tag for $target from $url"
  curl --fail --silent --show-error --location --retry 3 -o "$dir/$archive" "$url/$archive"
  curl --fail --silent --show-error --location --retry 3 -o "$dir/SHA256SUMS" "$url/SHA256SUMS"
  local expected actual
  expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$dir/SHA256SUMS")
  actual=$(sha256 "$dir/$archive")
  if [ -z "$expected" ]; then
    echo "::error title=seloste::SHA256SUMS of $tag has no line for $archive"
    exit 2
  fi
  if [ "$expected" != "$actual" ]; then
    echo "::error title=seloste::checksum mismatch for $archive: expected $expected, got $actual"
    exit 2
  fi
  if [ "${archive%.zip}" != "$archive" ]; then
    unzip -o -q "$dir/$archive" -d "$dir/unpacked"
  else
    mkdir -p "$dir/unpacked"
    tar -xzf "$dir/$archive" -C "$dir/unpacked"
  fi
  cp "$dir/unpacked/"seloste* "$bin/"
  chmod +x "$bin/"seloste*
}

if [ "$mode" = source ]; then
  from_source "install: source"
elif [ "$ref" = "v$version" ] && [ -n "$target" ]; then
  from_release
elif [ "$mode" = release ]; then
  echo "::error title=seloste::install: release needs the action at a release tag (v$version) on Linux, macOS or Windows x64/ARM64; the ref is '${ref:-none}' on ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
  exit 2
elif [ -z "$target" ]; then
  from_source "no release archive for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
else
  from_source "the ref '${ref:-none}' is not the release tag v$version"
fi

if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >> "$GITHUB_PATH"
fi
"$bin/seloste" --version
