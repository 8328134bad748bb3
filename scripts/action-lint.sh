#!/usr/bin/env bash
# The lint step of the GitHub Action (action.yml), also run by the tests: `seloste lint` with the
# annotation format, then, when a SARIF file is asked for, a second run that writes it. The second
# run happens whatever the first found, so that the SARIF upload has a file; the step's exit code
# is the first run's (0 clean, 1 findings, 2 usage or config error), or 2 when only the SARIF could
# not be written.
#
# Inputs come as environment variables (never interpolated into the script, so no input can
# inject shell code): SELOSTE_PATHS (paths separated by spaces or newlines; default "."),
# SELOSTE_FORMAT (default github), SELOSTE_SARIF_FILE (empty: no SARIF), SELOSTE_ARGS (more
# arguments for `seloste lint`, split at spaces), SELOSTE_SUMMARY (`false`: no job summary),
# SELOSTE (the binary; default seloste on PATH).
# When GITHUB_STEP_SUMMARY is set (as on GitHub's runners), a third run appends the Markdown
# summary (totals, rules table, findings) to it; its exit code plays no part.
# The exit code is also written as the step output `exit-code` when GITHUB_OUTPUT is set.
set -uo pipefail

seloste=${SELOSTE:-seloste}
read -r -d '' -a paths <<< "${SELOSTE_PATHS:-.}"
read -r -d '' -a args <<< "${SELOSTE_ARGS:-}"
if [ "${#paths[@]}" -eq 0 ]; then
  paths=(.)
fi

"$seloste" lint --format "${SELOSTE_FORMAT:-github}" "${args[@]}" -- "${paths[@]}"
status=$?

if [ -n "${SELOSTE_SARIF_FILE:-}" ]; then
  "$seloste" lint --format sarif --output "$SELOSTE_SARIF_FILE" "${args[@]}" -- "${paths[@]}"
  sarif_status=$?
  if [ "$sarif_status" -eq 2 ] && [ "$status" -ne 2 ]; then
    echo "::error title=seloste::the SARIF file $SELOSTE_SARIF_FILE could not be written (exit 2)"
    status=2
  fi
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${SELOSTE_SUMMARY:-true}" != false ]; then
  "$seloste" lint --format markdown "${args[@]}" -- "${paths[@]}" >> "$GITHUB_STEP_SUMMARY" 2> /dev/null
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit "$status"
