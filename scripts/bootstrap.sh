# Sourced by the other scripts: make sure `uv` is available (installing it from PyPI with pip if needed)
# and the project environment is in sync with uv.lock. Works on a fresh Debian machine with Python 3.11.
set -euo pipefail
export PATH="$HOME/.local/bin:$PATH"
export UV_PYTHON_DOWNLOADS=never   # use the machine's Python 3.11; never download one
if ! command -v uv >/dev/null 2>&1; then
  echo "accord: installing uv with pip ..." >&2
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null
    else
      echo "accord: pip is missing; install python3-pip (Debian) and run this again" >&2
      exit 1
    fi
  fi
  python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null \
    || python3 -m pip install --quiet uv
fi
uv sync --frozen --quiet
