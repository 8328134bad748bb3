#!/usr/bin/env bash
# The release procedure's commands (docs/releasing.md). A release is a commit "Release X.Y.Z"
# with the version everywhere it is written, and the annotated tag vX.Y.Z on it; pushing the tag
# starts .github/workflows/release.yml, which builds and publishes.
#
#   scripts/release.sh prepare X.Y.Z   on a clean main: set the version in Cargo.toml, Cargo.lock
#                                      and the pre-commit hook repository, move every `vA.B.C`
#                                      pin in the docs and examples to vX.Y.Z, turn the CHANGELOG's
#                                      "## Unreleased" into "## X.Y.Z - DATE" under a new empty
#                                      "## Unreleased", commit, and tag vX.Y.Z (nothing is pushed)
#   scripts/release.sh check vX.Y.Z    the tag, Cargo.toml, Cargo.lock, the hook repository and the
#                                      pins agree, and the CHANGELOG has a section for X.Y.Z (run
#                                      by the release workflow before it builds anything)
#   scripts/release.sh notes X.Y.Z     print the CHANGELOG section of X.Y.Z (the release notes)
#   scripts/release.sh pins            the pins that differ from Cargo.toml's version (exit 1 if any)
#
# SELOSTE_RELEASE_DATE sets the date (default: today, UTC).
set -euo pipefail
cd "$(dirname "$0")/.."

# The files whose pins follow the version (the docs a user copies from, and the example repository
# checked in CI): `seloste@vX.Y.Z`, `rev: vX.Y.Z`, `ref: vX.Y.Z`, `--tag vX.Y.Z`, image tags
# `seloste:vX.Y.Z`, and `seloste==X.Y.Z` of pip.
pin_re='((@|rev: |ref: |--tag |VERSION: |seloste:)v|seloste==)[0-9]+\.[0-9]+\.[0-9]+'

pinned_files() {
  git ls-files README.md action.yml 'docs/*.md' 'examples/acme-repo/*' 'pre-commit-hook/*' |
    while IFS= read -r f; do
      if grep -qE "$pin_re" "$f"; then
        echo "$f"
      fi
    done
}

die() {
  echo "release: $*" >&2
  exit 2
}

cargo_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1
}

lock_version() {
  awk '/^name = "seloste"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

check_version_syntax() {
  [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$1' is not a version X.Y.Z"
}

# The pins that differ from vVERSION, as file:line: text.
stale_pins() {
  local version=$1
  pinned_files | while IFS= read -r f; do
    grep -noE "$pin_re" "$f" | grep -vE "(v|==)${version//./\\.}$" | sed "s|^|$f:|" || true
  done
}

check() {
  local tag=$1
  [[ "$tag" == v* ]] || die "the tag '$tag' does not start with v"
  local version=${tag#v}
  check_version_syntax "$version"
  local problems=0
  if [ "$(cargo_version)" != "$version" ]; then
    echo "release: Cargo.toml has version $(cargo_version), the tag $tag" >&2
    problems=1
  fi
  if [ "$(lock_version)" != "$version" ]; then
    echo "release: Cargo.lock has seloste $(lock_version), the tag $tag" >&2
    problems=1
  fi
  if ! grep -q "^version = \"$version\"$" pre-commit-hook/pyproject.toml ||
    ! grep -q "^dependencies = \[\"seloste==$version\"\]$" pre-commit-hook/pyproject.toml; then
    echo "release: pre-commit-hook/pyproject.toml does not pin seloste $version" >&2
    problems=1
  fi
  local stale
  stale=$(stale_pins "$version")
  if [ -n "$stale" ]; then
    echo "release: pins that are not $tag:" >&2
    echo "$stale" >&2
    problems=1
  fi
  if ! grep -qE "^## $version( |$)" CHANGELOG.md; then
    echo "release: CHANGELOG.md has no section '## $version'" >&2
    problems=1
  fi
  [ "$problems" -eq 0 ] || exit 1
  echo "release: $tag is consistent"
}

notes() {
  local version=$1
  check_version_syntax "$version"
  awk -v v="$version" '
    /^## / { if (inside) exit; if ($2 == v) { inside = 1; next } }
    inside { print }
  ' CHANGELOG.md
}

prepare() {
  local version=$1
  check_version_syntax "$version"
  local date=${SELOSTE_RELEASE_DATE:-$(date -u +%Y-%m-%d)}
  [ -z "$(git status --porcelain)" ] || die "the working tree has uncommitted changes"
  if git rev-parse -q --verify "refs/tags/v$version" > /dev/null; then
    die "the tag v$version exists already"
  fi
  grep -q '^## Unreleased$' CHANGELOG.md || die "CHANGELOG.md has no '## Unreleased' section"
  local old
  old=$(cargo_version)
  # Cargo.toml: the package's version line only (the first `version =`).
  awk -v v="$version" '!done && /^version = "/ { print "version = \"" v "\""; done = 1; next } { print }' \
    Cargo.toml > Cargo.toml.new && mv Cargo.toml.new Cargo.toml
  awk -v v="$version" '
    prev == "name = \"seloste\"" && /^version = "/ { print "version = \"" v "\""; prev = ""; next }
    { print; prev = $0 }
  ' Cargo.lock > Cargo.lock.new && mv Cargo.lock.new Cargo.lock
  sed -i.bak -e "s/^version = \".*\"$/version = \"$version\"/" \
    -e "s/^dependencies = \[\"seloste==.*\"\]$/dependencies = [\"seloste==$version\"]/" \
    pre-commit-hook/pyproject.toml && rm pre-commit-hook/pyproject.toml.bak
  pinned_files | while IFS= read -r f; do
    sed -i.bak -E -e "s/(@|rev: |ref: |--tag |VERSION: |seloste:)v[0-9]+\.[0-9]+\.[0-9]+/\1v$version/g" \
      -e "s/seloste==[0-9]+\.[0-9]+\.[0-9]+/seloste==$version/g" "$f"
    rm "$f.bak"
  done
  awk -v v="$version" -v d="$date" '
    !done && /^## Unreleased$/ { print; print ""; print "## " v " - " d; done = 1; next }
    { print }
  ' CHANGELOG.md > CHANGELOG.md.new && mv CHANGELOG.md.new CHANGELOG.md
  check "v$version"
  git add --all
  git commit --quiet -m "Release $version"
  git tag --annotate --message "seloste $version" "v$version"
  echo "release: committed 'Release $version' (from $old) and tagged v$version."
  echo "release: push both to publish: git push origin HEAD v$version"
}

case "${1:-}" in
  pins)
    stale=$(stale_pins "$(cargo_version)")
    if [ -n "$stale" ]; then
      echo "release: pins that are not v$(cargo_version):" >&2
      echo "$stale" >&2
      exit 1
    fi
    ;;
  prepare) prepare "${2:?usage: scripts/release.sh prepare X.Y.Z}" ;;
  check) check "${2:?usage: scripts/release.sh check vX.Y.Z}" ;;
  notes) notes "${2:?usage: scripts/release.sh notes X.Y.Z}" ;;
  *) die "usage: scripts/release.sh prepare X.Y.Z | check vX.Y.Z | notes X.Y.Z | pins" ;;
esac
