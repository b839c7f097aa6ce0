#!/usr/bin/env bash
# Generates a built-in synthetic dataset: jobs/generate.sh --kind seed --rows 1000000 --out datasets/out/seed
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_job io.sparkmdn.jobs.GenerateJob "$@"
