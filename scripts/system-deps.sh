#!/usr/bin/env bash
# System packages the tests need: Chromium for the widget tests, Java for the
# Firestore emulator, faketime for scripts/test-any-day.sh. Installs what is missing when running as root (CI);
# otherwise says what to install.
set -euo pipefail

EMULATOR_JAR=/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)

if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "system-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "system-deps: please install: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -f "$EMULATOR_JAR" ]; then
  echo "system-deps: the Firestore emulator is missing ($EMULATOR_JAR)." >&2
  echo "  It ships with Debian's google-cloud-cli-firestore-emulator package; the Firestore tests need it." >&2
  exit 1
fi
