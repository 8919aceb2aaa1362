# shellcheck shell=bash
# shellcheck disable=SC2154 # work is set by the script that sources this file
# Sourced by the end-to-end shell tests (tests/cli, tests/proxy, tests/credentials): the
# checks they share. The sourcing script sets `work` (a scratch folder) first; the counts
# end in `finish NAME`, whose status is the test's.
passed=0
failed=0

# run EXPECTED_EXIT NAME -- COMMAND...: runs it (stdin from $stdin, else nothing), keeps
# its stdout and stderr in $work/out and $work/err, and checks the exit status.
run() {
    local expected=$1 name=$2
    shift 3
    "$@" > "$work/out" 2> "$work/err" < "${stdin:-/dev/null}"
    local code=$?
    if [ "$code" = "$expected" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $name: exit $code, expected $expected"
        sed 's/^/  stdout: /' "$work/out"
        sed 's/^/  stderr: /' "$work/err"
    fi
}

# has FILE REGEX NAME / lacks FILE REGEX NAME: what a file of $work holds (out, err, a log).
has() {
    if grep -Eq -- "$2" "$work/$1"; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAILED: $3: no /$2/ in $1:"; sed 's/^/  /' "$work/$1"; fi
}
lacks() {
    if grep -Eq -- "$2" "$work/$1"; then failed=$((failed + 1)); echo "FAILED: $3: /$2/ in $1:"; sed 's/^/  /' "$work/$1"
    else passed=$((passed + 1)); fi
}

# check CONDITION-STATUS NAME: counts a check made some other way ("[ ... ]; check $? name").
check() {
    if [ "$1" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $2"; fi
}

# A free TCP port on loopback (bound, then released).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# finish NAME: the summary line, and the status of the whole test.
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
