#!/bin/bash
# crowd batch end to end, inside scripts/with-emulator (tasks of real functions process for
# --complete-after, 1 s here): lines checked first, one result line per task, a stop of
# any kind resumed without a line twice or a task created twice, and shards whose union is
# the whole job, from --shard and from each scheduler's environment.
# Usage: with-emulator --complete-after 1000 -- batch.sh CROWD
set -u
crowd=$1
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'rm -rf "$work"' EXIT
ca=$AWS_CA_BUNDLE
url=$AWS_ENDPOINT_URL_CROWD

# stat KEY: a count of /_emulator/stats ("created", or "requests.PUT 201").
stat() {
    curl -s --cacert "$ca" "$url/_emulator/stats" | python3 -c '
import json, sys
value = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    value = value.get(part, 0) if isinstance(value, dict) else 0
print(value)' "$1"
}

# tasks FILE PREFIX COUNT: COUNT sentiment-analysis task lines named PREFIX0...
tasks() {
    python3 -c '
import json, sys
for i in range(int(sys.argv[2])):
    print(json.dumps({"taskName": sys.argv[1] + str(i), "input": {"text": "review %d" % i}}))' "$2" "$3" > "$1"
}

# once FILE COUNT NAME: FILE has COUNT lines, one per task name, none torn.
once() {
    python3 -c '
import json, sys
names = [json.loads(line)["taskName"] for line in open(sys.argv[1])]
sys.exit(0 if len(names) == int(sys.argv[2]) and len(set(names)) == len(names) else 1)' "$1" "$2"
    check $? "$3: $2 lines, one per task"
}

# Usage.
run 0 "batch --help" -- "$crowd" batch --help
has out "^Usage: crowd batch \[OPTIONS\] \[FUNCTION\]" "batch --help"
has out "^  --in FILE " "batch --help lists --in"
run 2 "no --out" -- "$crowd" batch sentiment-analysis --in "$work/none.jsonl"
has err "give --in TASKS.jsonl and --out RESULTS.jsonl" "no --out"
run 2 "an unreadable --in" -- "$crowd" batch sentiment-analysis --in "$work/none.jsonl" --out "$work/r.jsonl"
has err "cannot read .*none.jsonl" "an unreadable --in"
run 2 "--concurrency 0" -- "$crowd" batch sentiment-analysis --in a --out b --concurrency 0
run 2 "--shard 3/3" -- "$crowd" batch sentiment-analysis --in a --out b --shard 3/3

# Bad lines: each named with its line number and skipped; with --strict nothing is sent.
tasks "$work/mixed.jsonl" m 20
cat >> "$work/mixed.jsonl" <<'EOF'
{"taskName":"bad name!","input":{"text":"x"}}
{"taskName":"m3","input":{"text":"again"}}
{"taskName":"m-typo","input":{"txt":"x"}}
not json
{"taskName":"m-long","input":{"text":""}}

{"taskName":"m-cat","function":"text-categorization","input":{"text":"x","categories":[{"label":"a"}]}}
EOF
puts_before=$(stat "requests.PUT 201")
run 2 "--strict with bad lines" -- "$crowd" batch sentiment-analysis --in "$work/mixed.jsonl" --out "$work/strict.jsonl" --strict
has err "5 bad line\(s\) in .*nothing was sent \(--strict\)" "--strict counts the bad lines"
[ "$(stat "requests.PUT 201")" = "$puts_before" ]; check $? "--strict sends nothing"
run 1 "bad lines skipped" -- "$crowd" batch sentiment-analysis --in "$work/mixed.jsonl" --out "$work/mixed-out.jsonl" \
    --poll-after 200 --no-progress
has err "mixed.jsonl:21: taskName \"bad name!\"" "a bad task name, with its line"
has err "mixed.jsonl:22: task \"m3\" of sentiment-analysis again" "a repeated task"
has err "mixed.jsonl:23: input: txt: not a key of the sentiment-analysis input" "a misspelt key"
has err "mixed.jsonl:24: not JSON" "not JSON"
has err "mixed.jsonl:25: input: " "an input past its limits"
has err "21 task\(s\) in .*: 21 completed, 0 failed, 0 errors; 5 bad line\(s\) skipped" "the summary"
once "$work/mixed-out.jsonl" 21 "bad lines skipped"
has mixed-out.jsonl '"function":"text-categorization","taskName":"m-cat"' "a line names its own function"

# A clean run: exit 0; run again, nothing to do.
tasks "$work/clean.jsonl" c 30
run 0 "a clean batch" -- "$crowd" batch sentiment-analysis --in "$work/clean.jsonl" --out "$work/clean-out.jsonl" --poll-after 200
once "$work/clean-out.jsonl" 30 "a clean batch"
has clean-out.jsonl '"state":"completed"' "completed tasks"
cp "$work/err" "$work/clean-err"
run 0 "the same batch again" -- "$crowd" batch sentiment-analysis --in "$work/clean.jsonl" --out "$work/clean-out.jsonl"
has err "0 task\(s\) in .* 30 already done" "run again: all already done"
once "$work/clean-out.jsonl" 30 "the same batch again"

# An --out that holds other lines is refused, not appended to.
echo '{"hello":1}' > "$work/foreign.jsonl"
run 2 "an --out of other lines" -- "$crowd" batch sentiment-analysis --in "$work/clean.jsonl" --out "$work/foreign.jsonl"
has err "foreign.jsonl:1: not a line of crowd batch" "an --out of other lines is refused"

# The progress bar: on a terminal (script(1) gives one), not with --no-progress, never in a pipe.
tasks "$work/bar.jsonl" bar 20
script -qec "$crowd batch sentiment-analysis --in $work/bar.jsonl --out $work/bar-out.jsonl --poll-after 300" \
    /dev/null > "$work/bar-tty" 2>&1
has bar-tty "[0-9]+/20 \[[#.]+\] [0-9.]+/s ETA" "a progress bar with rate and ETA on a terminal"
rm -f "$work/bar-out.jsonl"
script -qec "$crowd batch sentiment-analysis --in $work/bar.jsonl --out $work/bar-out.jsonl --no-progress --poll-after 50" \
    /dev/null > "$work/bar-none" 2>&1
lacks bar-none "ETA" "--no-progress"
lacks clean-err "ETA" "no progress bar when stderr is no terminal"

# --test: the -test twins (mocks, at once); --delete-after removes each task after its line.
tasks "$work/twins.jsonl" tw 10
run 0 "--test --delete-after" -- "$crowd" batch sentiment-analysis --in "$work/twins.jsonl" --out "$work/twins-out.jsonl" \
    --test --delete-after --poll-after 0
has twins-out.jsonl '"function":"sentiment-analysis-test"' "--test: the -test twin"
run 3 "deleted after its line" -- "$crowd" get sentiment-analysis-test tw0
has err "HTTP 404" "deleted after its line"

# SIGKILL midway, then a torn last line: the second run writes each task's line once and
# creates none twice.
tasks "$work/kill.jsonl" k 150
created_before=$(stat created)
"$crowd" batch sentiment-analysis --in "$work/kill.jsonl" --out "$work/kill-out.jsonl" --poll-after 100 \
    --concurrency 8 > /dev/null 2> "$work/kill-err" &
pid=$!
for _ in $(seq 100); do  # until some lines are written (at most 10 s)
    [ -s "$work/kill-out.jsonl" ] && [ "$(wc -l < "$work/kill-out.jsonl")" -ge 5 ] && break
    sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
lines_at_kill=$(wc -l < "$work/kill-out.jsonl")
[ "$lines_at_kill" -ge 5 ] && [ "$lines_at_kill" -lt 150 ]; check $? "killed midway ($lines_at_kill lines)"
printf '{"function":"sentiment-analysis","taskName":"k1' >> "$work/kill-out.jsonl"  # a write cut short
run 0 "resumed after SIGKILL" -- "$crowd" batch sentiment-analysis --in "$work/kill.jsonl" --out "$work/kill-out.jsonl" \
    --poll-after 100
has err "removed a last line cut short" "the torn line is repaired"
once "$work/kill-out.jsonl" 150 "resumed after SIGKILL"
[ $(($(stat created) - created_before)) = 150 ]; check $? "resumed after SIGKILL: each task created once"

# SIGTERM and SIGINT: a clean stop, exit 143 and 130, then resumed.
for signal in TERM INT; do
    tasks "$work/$signal.jsonl" "s$signal" 100
    "$crowd" batch sentiment-analysis --in "$work/$signal.jsonl" --out "$work/$signal-out.jsonl" --poll-after 100 \
        --concurrency 8 > /dev/null 2> "$work/$signal-err" &
    pid=$!
    sleep 0.5
    kill -"$signal" "$pid"
    wait "$pid"
    code=$?
    expected=$([ "$signal" = TERM ] && echo 143 || echo 130)
    [ "$code" = "$expected" ]; check $? "SIG$signal: exit $code, expected $expected"
    has "$signal-err" "stopped, [0-9]+ left for the next run" "SIG$signal: the summary says what was left"
    run 0 "resumed after SIG$signal" -- "$crowd" batch sentiment-analysis --in "$work/$signal.jsonl" \
        --out "$work/$signal-out.jsonl" --poll-after 100
    once "$work/$signal-out.jsonl" 100 "resumed after SIG$signal"
done

# Shards: N processes over one file, and the union of their outputs is the whole job.
tasks "$work/job.jsonl" j 90
created_before=$(stat created)
for i in 0 1 2; do
    "$crowd" batch sentiment-analysis --in "$work/job.jsonl" --out "$work/job-$i.jsonl" --shard "$i/3" \
        --poll-after 100 2> "$work/job-$i.err" &
done
wait
cat "$work"/job-[012].jsonl > "$work/job-all.jsonl"
once "$work/job-all.jsonl" 90 "three shards"
[ "$(wc -l < "$work/job-0.jsonl")" = 30 ]; check $? "shard 0 of 3 took every third line"
[ $(($(stat created) - created_before)) = 90 ]; check $? "three shards: each task created once"
has job-1.jsonl '"taskName":"j1"' "shard 1 takes line 1"

# The schedulers' environments name the same shards.
tasks "$work/env.jsonl" e 12
run 0 "Kubernetes Indexed Job" -- env JOB_COMPLETION_INDEX=1 "$crowd" batch sentiment-analysis --in "$work/env.jsonl" \
    --out "$work/k8s.jsonl" --shards 4 --poll-after 100
once "$work/k8s.jsonl" 3 "Kubernetes: shard 1 of 4"
has k8s.jsonl '"taskName":"e5"' "Kubernetes: lines 1, 5, 9"
run 2 "JOB_COMPLETION_INDEX without --shards" -- env JOB_COMPLETION_INDEX=1 "$crowd" batch sentiment-analysis \
    --in "$work/env.jsonl" --out "$work/x.jsonl"
has err "give --shards N" "JOB_COMPLETION_INDEX without --shards"
run 0 "Slurm array 1-7:2" -- env SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=7 \
    SLURM_ARRAY_TASK_STEP=2 SLURM_ARRAY_TASK_COUNT=4 "$crowd" batch sentiment-analysis --in "$work/env.jsonl" \
    --out "$work/slurm.jsonl" --poll-after 100
once "$work/slurm.jsonl" 3 "Slurm: task 5 of 1-7:2 is shard 2 of 4"
has slurm.jsonl '"taskName":"e6"' "Slurm: lines 2, 6, 10"
run 2 "Slurm array that is no range" -- env SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=8 \
    SLURM_ARRAY_TASK_COUNT=3 "$crowd" batch sentiment-analysis --in "$work/env.jsonl" --out "$work/x.jsonl"
has err "not a regular range" "Slurm: ids 1,3,8 refused"
run 0 "AWS Batch array job" -- env AWS_BATCH_JOB_ARRAY_INDEX=0 AWS_BATCH_JOB_ARRAY_SIZE=6 "$crowd" batch \
    sentiment-analysis --in "$work/env.jsonl" --out "$work/awsbatch.jsonl" --poll-after 100
once "$work/awsbatch.jsonl" 2 "AWS Batch: index 0 of 6"

# The examples' own command lines (examples/batch), each shard with its scheduler's
# environment: the union of the shards' results is the whole job, each task created once.
examples=$(cd "$(dirname "$0")/../../examples/batch" && pwd)
mkdir -p "$work/bin" "$work/data"
ln -s "$(cd "$(dirname "$crowd")" && pwd)/$(basename "$crowd")" "$work/bin/crowd"
tasks "$work/data/tasks.jsonl" x 40
# example_command FILE: the shell command a manifest runs, its /data the test's folder.
example_command() {
    python3 -c '
import json, re, sys
text = open(sys.argv[1]).read()
if sys.argv[1].endswith(".json"):
    command = json.loads(text)["containerProperties"]["command"][2]
else:  # the folded ">-" block of args in the YAML
    block = re.search(r"- >-\n((?:\s{14}.*\n)+)", text).group(1)
    command = " ".join(line.strip() for line in block.splitlines())
# The first poll sooner than their default 5 s: the test waits less, the command is theirs.
print(command.replace("/data", sys.argv[2]) + " --poll-after 50")' "$1" "$work/data"
}
check_union() {  # NAME SHARDS: the results of one scheduler's shards, a file each, together
    [ "$(find "$work/data" -name 'results-*.jsonl' | wc -l)" = "$2" ]; check $? "$1: a results file per shard"
    cat "$work"/data/results-*.jsonl > "$work/union.jsonl"
    once "$work/union.jsonl" 40 "$1: the union of the shards"
    rm -f "$work"/data/results-*.jsonl
    run 0 "$1: nothing left to create" -- "$crowd" get sentiment-analysis x39
}
k8s=$(example_command "$examples/kubernetes-indexed-job.yaml")
for i in 0 1 2 3 4 5 6 7; do
    env PATH="$work/bin:$PATH" JOB_COMPLETION_INDEX=$i sh -c "$k8s" 2> "$work/k8s-$i.err" &
done
wait
check_union "kubernetes-indexed-job.yaml" 8
created_before=$(stat created)
(cd "$work/data" && for id in 1 2 3 4 5 6 7 8 9 10; do
    env PATH="$work/bin:$PATH" SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=10 \
        SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=10 sh "$examples/slurm-array.sh" --poll-after 50 \
        2> "$work/slurm-$id.err" &
done; wait)
check_union "slurm-array.sh" 10
aws=$(example_command "$examples/aws-batch-job-definition.json")
for i in 0 1 2 3 4 5 6 7; do
    env PATH="$work/bin:$PATH" AWS_BATCH_JOB_ARRAY_INDEX=$i AWS_BATCH_JOB_ARRAY_SIZE=8 sh -c "$aws" 2> "$work/aws-$i.err" &
done
wait
check_union "aws-batch-job-definition.json" 8
[ "$(stat created)" = "$created_before" ]; check $? "the examples' second and third runs create nothing again"

finish "crowd batch"
