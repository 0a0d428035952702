#!/bin/sh
# A separate virtualenv holding the newest DuckDB 1.x wheel (`duckdb<2`), to check that the
# published snapshot opens in the DuckDB many BI drivers and CLIs still bundle:
#
#   sh scripts/duckdb1_venv.sh            # creates .cache/duckdb1-venv once, prints its python
#   "$(sh scripts/duckdb1_venv.sh)" -c "import duckdb; duckdb.connect('data/published/snapshot/outlook.duckdb', read_only=True)"
#
# Reused across runs (a stamp names the spec it was made for); DUCKDB1_VENV overrides the
# folder, DUCKDB1_SPEC the requirement. Needs PyPI (or the configured index) the first time.
# Prints the venv's python on stdout; pip's complaints go to stderr and the exit code is 1.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
venv=${DUCKDB1_VENV:-$here/.cache/duckdb1-venv}
spec=${DUCKDB1_SPEC:-duckdb<2}
python=${PYTHON:-python3}
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.spec" 2>/dev/null)" = "$spec" ]; then
    echo "$venv/bin/python"
    exit 0
fi
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" >&2
printf '%s' "$spec" > "$venv/.spec"
echo "$venv/bin/python"
