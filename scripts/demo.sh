#!/usr/bin/env bash
# Quick start 1: set everything up and analyse the bundled job-offer case, writing job-offer-report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
uv run accord analyze examples/job-offer.yaml --report job-offer-report.html
echo "Report written to $(pwd)/job-offer-report.html"
# The PATH set by bootstrap.sh ends with this script; say how to get `uv` in the user's own shell.
cat <<HOW

To run Accord yourself, put uv on your PATH (once per shell, or add the line to ~/.bashrc) and run
commands from this folder ($(pwd)):

  export PATH="\$HOME/.local/bin:\$PATH"
  uv run accord --help
  uv run accord analyze examples/joint-venture.yaml
HOW
