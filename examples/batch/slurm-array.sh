#!/bin/sh
# crowd batch over a Slurm job array: each array task takes one shard of tasks.jsonl.
# crowd batch reads SLURM_ARRAY_TASK_ID, _MIN, _STEP and _COUNT, so ids need not start at
# 0 (--array=1-10, or 1-7:2); an array whose ids are not such a range is refused rather
# than a shard lost. A task of the array that is requeued resumes its own results file.
#   sbatch slurm-array.sh [more crowd batch options]
#   cat results-*.jsonl > results.jsonl           # once every array task has ended
#SBATCH --job-name=crowd-batch
#SBATCH --array=1-10
#SBATCH --cpus-per-task=1
#SBATCH --time=24:00:00
#SBATCH --requeue
set -eu
exec crowd batch sentiment-analysis \
    --in tasks.jsonl \
    --out "results-${SLURM_ARRAY_TASK_ID}.jsonl" \
    --concurrency 64 --no-progress "$@"
