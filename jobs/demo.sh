#!/usr/bin/env bash
# The whole pipeline on local Spark: generate -> train -> params -> sample -> evaluate -> report.
# Usage: jobs/demo.sh [OUT_DIR]   (default datasets/out/demo; DEMO_ROWS sets the training rows)
set -euo pipefail
JOBS="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$JOBS/../datasets/out/demo}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
ROWS="${DEMO_ROWS:-200000}"
MASTER="${DEMO_MASTER:-local[2]}"
start=$(date +%s)

"$JOBS/generate.sh" --master "$MASTER" --kind seed --rows "$ROWS" --seed 1 --out "$OUT/train-data" --mode overwrite
"$JOBS/generate.sh" --master "$MASTER" --kind seed --rows 50000 --seed 2 --out "$OUT/test-data" --mode overwrite
# the defaults, no tuning flags: early stopping ends the run when the test NLL stops improving
"$JOBS/train.sh" --master "$MASTER" --input "$OUT/train-data" --model "$OUT/model" --mode overwrite
"$JOBS/params.sh" --master "$MASTER" --model "$OUT/model" --grid -1.2:1.2:241 --out "$OUT/params" --mode overwrite
"$JOBS/sample.sh" --master "$MASTER" --model "$OUT/model" --grid -1.2:1.2:241 --samples 200 --seed 7 \
  --out "$OUT/samples" --mode overwrite
"$JOBS/evaluate.sh" --master "$MASTER" --model "$OUT/model" --input "$OUT/test-data" \
  --out "$OUT/metrics.json" --mode overwrite
"$JOBS/report.sh" --master "$MASTER" --data "$OUT/train-data" --model "$OUT/model" --params "$OUT/params" \
  --samples "$OUT/samples" --metrics "$OUT/metrics.json" --out "$OUT/report" --mode overwrite

cat <<TXT

demo finished in $(( $(date +%s) - start )) s; outputs:
  training data      $OUT/train-data      (Parquet: id, x, y; $ROWS rows)
  test data          $OUT/test-data       (Parquet: id, x, y; 50000 rows)
  model              $OUT/model           (metadata.json with the per-epoch history, network.zip)
  mixture parameters $OUT/params          (Parquet: x, alpha[K], mu[K][1], sigma[K][1])
  samples            $OUT/samples         (Parquet: x, sample_id, y; 200 per x)
  metrics            $OUT/metrics.json
  report             $OUT/report          (PNG figures and index.html)

report: $OUT/report/index.html
TXT
