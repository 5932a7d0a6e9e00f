#!/usr/bin/env bash
# Quick start 1: set everything up and analyse the bundled job-offer case, writing job-offer-report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
uv run accord analyze examples/job-offer.yaml --report job-offer-report.html
echo "Report written to $(pwd)/job-offer-report.html"
