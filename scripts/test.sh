#!/usr/bin/env bash
# Quick start 2: set everything up and run the whole test suite (lint, types, tests). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/ci-deps.sh
uv run ruff check .
uv run mypy
uv run pytest "$@"
