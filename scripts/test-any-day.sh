#!/usr/bin/env bash
# Runs the test suite under Debian's faketime at the instants where dates turn over, to prove
# that no test depends on the day it runs (the product reads time through spravka.clock).
#
#   scripts/test-any-day.sh                 # the date-sensitive part, at every instant below
#   scripts/test-any-day.sh --all           # the whole suite at every instant (~10× make test)
#   scripts/test-any-day.sh -- tests/x.py   # these pytest arguments instead
#   INSTANTS="2027-01-03 10:00:00" scripts/test-any-day.sh   # other instants (UTC, one a line)
#
# Exits non-zero when any run fails; prints one line per instant with its result and time.
# The Firestore emulator and Chromium keep the machine's clock (spravka.store.emulator's
# real_clock_environment): they stand for Google's servers and the customer's device.
set -uo pipefail
cd "$(dirname "$0")/.."

# UTC. Moscow is UTC+3 all year: 21:00 UTC is the next day's 00:00 there.
DEFAULT_INSTANTS="2027-01-03 10:00:00
2027-01-14 20:59:00
2027-01-14 21:01:00
2027-01-25 20:59:00
2027-01-25 21:01:00
2026-12-31 20:59:00
2026-12-31 21:30:00
2028-02-29 12:00:00"
INSTANTS="${INSTANTS:-$DEFAULT_INSTANTS}"

# The part of the suite that reads dates: readings (periods, the window, limits), the question
# log and its purge, the report and the editors' loop, import/export, the store contract, the
# appeals (deadlines, history, outbox) and the bots (state TTL, remembered accounts, receipts).
DATE_SENSITIVE=(
  tests/readings/test_readings_http.py tests/readings/test_readings_consumption.py tests/readings/test_readings_validate.py
  tests/questions/test_question_log.py tests/questions/test_editors_loop.py tests/system/test_report_page.py
  tests/readings/test_import_export.py tests/store/test_store_contract.py tests/store/test_store_faults.py
  tests/readings/test_concurrency.py tests/system/test_properties.py tests/system/test_widget.py
  tests/appeals tests/bots tests/system/test_appeals_widget.py
)

args=("${DATE_SENSITIVE[@]}")
case "${1:-}" in
  --all) args=() ;;
  --) shift; args=("$@") ;;
  "") ;;
  *) echo "usage: $0 [--all | -- PYTEST-ARGS...]" >&2; exit 2 ;;
esac

command -v faketime >/dev/null || { echo "faketime is missing: scripts/system-deps.sh installs it" >&2; exit 2; }
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || { echo "no .venv: run 'make setup' first" >&2; exit 2; }

# Python 3.11 under libfaketime 0.9.10: see scripts/faketime_sleep.py. A .pth file in the venv
# loads it into every Python process (test servers too) while SPRAVKA_FAKETIME_SHIM is set.
SITE=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo 'import os, sys; shim = os.environ.get("SPRAVKA_FAKETIME_SHIM"); shim and (sys.path.append(os.path.dirname(shim)), __import__("faketime_sleep"))' \
  > "$SITE/spravka-faketime.pth"
export SPRAVKA_FAKETIME_SHIM="$PWD/scripts/faketime_sleep.py" FAKETIME_DONT_FAKE_MONOTONIC=1

failed=0
summary=()
while IFS= read -r instant; do
  [ -n "$instant" ] || continue
  start=$(date +%s)
  log="var/test-any-day-$(echo "$instant" | tr -c '0-9\n' '-').log"
  mkdir -p var
  # The wall clock runs on from the instant; the monotonic clock is the machine's.
  if TZ=UTC faketime "$instant" "$PYTHON" -m pytest -q -p no:cacheprovider "${args[@]}" >"$log" 2>&1; then
    result="passed"
  else
    result="FAILED (see $log)"
    failed=1
  fi
  line="$instant UTC: $result, $(( $(date +%s) - start )) s — $(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$log" | tail -1 | tr -d '=')"
  echo "$line"
  summary+=("$line")
done <<< "$INSTANTS"

echo
printf '%s\n' "${summary[@]}"
exit "$failed"
