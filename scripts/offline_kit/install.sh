#!/bin/sh
# Tsunagu (つなぐ) offline install for Linux and macOS: sh install.sh [DIR]
# Makes a virtual environment in DIR (default: ~/tsunagu) and installs Tsunagu from the wheels
# beside this file, with no network (pip --no-index). Run it again with a newer kit to upgrade:
# the catalogue, settings, referral log, case notes and backups live in your data folder, not in DIR.
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-"$HOME/tsunagu"}

PY=""
for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null; then
        PY=$candidate
        break
    fi
done
if [ -z "$PY" ]; then
    echo "Python 3.11, 3.12 または 3.13 が見つかりません (no Python 3.11–3.13 found)." >&2
    echo "  Python を入れてから、もう一度実行してください (install one, then run this again)," >&2
    echo "  または PYTHON=/path/to/python3.12 sh install.sh で指定してください (or name it with PYTHON=)." >&2
    exit 1
fi

echo "つなぐを $DIR に入れます (installing into $DIR with $("$PY" --version 2>&1)) …"
"$PY" -m venv "$DIR"
"$DIR/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$KIT/wheels" \
    --upgrade tsunagu
"$DIR/bin/tsunagu" --version
echo "できました (done). 起動 (start): $DIR/bin/tsunagu"
