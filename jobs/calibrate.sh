#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_job io.sparkmdn.jobs.CalibrateJob "$@"
