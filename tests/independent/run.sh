#!/bin/bash
# Clients this project did not write against crowd-emulator: curl --aws-sigv4 and
# Debian's botocore. Starts its own emulator on 127.0.0.1 (plain HTTP: what is checked
# here is the signing, not TLS).
# Usage: run.sh CROWD_EMULATOR_BINARY
set -u
emulator=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
# Tasks of real functions process for an hour, those of -test twins finish at once: each
# check sees the state it needs however loaded the machine is (no sleeps, no races).
"$emulator" --port 0 --complete-after 3600000 > "$work/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/out" 2>/dev/null && break
    sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$work/out" | head -n 1)
[ -n "$url" ] || { echo "crowd-emulator did not start:"; cat "$work/out"; exit 1; }

base="$url/123456789012/functions/sentiment-analysis/tasks"
test_base="$url/123456789012/functions/sentiment-analysis-test/tasks"
user="AKIDCROWDEMULATOR:crowd-emulator-secret"
passed=0
failed=0
expect() {  # what wanted actual
    if [ "$3" = "$2" ]; then passed=$((passed + 1)); echo "ok: $1: $3"
    else failed=$((failed + 1)); echo "FAILED: $1: status $3, expected $2"; fi
}
says() {  # what text: the last body says why (a 403 for one reason is not a 403 for another)
    if grep -q -- "$2" "$work/body"; then passed=$((passed + 1)); echo "ok: $1"
    else failed=$((failed + 1)); echo "FAILED: $1: no \"$2\" in: $(cat "$work/body")"; fi
}
signed() { curl -s -o "$work/body" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:crowd" --user "$user" "$@"; }
put() { signed -X PUT -H 'Content-Type: application/json' --data-binary "$2" "$base/$1"; }

expect "curl PUT creates" 201 "$(put curl-1 '{"input":{"text":"hi"}}')"
expect "curl PUT again, same input" 200 "$(put curl-1 '{"input":{"text":"hi"}}')"
expect "curl PUT again, another input" 400 "$(put curl-1 '{"input":{"text":"bye"}}')"
expect "curl GET" 200 "$(signed "$base/curl-1")"
expect "curl DELETE while processing" 409 "$(signed -X DELETE "$base/curl-1")"
expect "curl PUT of a -test task" 201 "$(signed -X PUT -H 'Content-Type: application/json' \
    --data-binary '{"input":{"text":"hi"}}' "$test_base/curl-1")"
expect "curl GET when completed" 200 "$(signed "$test_base/curl-1")"
says "the -test task is completed" '"state":"completed"'
expect "curl DELETE" 204 "$(signed -X DELETE "$test_base/curl-1")"
expect "curl GET after DELETE" 404 "$(signed "$test_base/curl-1")"
expect "curl PUT to an unknown function" 404 \
    "$(signed -X PUT -H 'Content-Type: application/json' --data-binary '{"input":{"text":"x"}}' "$url/123456789012/functions/nope/tasks/x")"
expect "curl with a wrong secret" 403 \
    "$(curl -s -o "$work/body" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:crowd" --user "AKIDCROWDEMULATOR:guess" "$base/curl-1")"
says "refused for its signature" "signature we calculated does not match"

# Tampering: replay curl's own signature with another body.
curl -s -o /dev/null -v --aws-sigv4 "aws:amz:us-east-1:crowd" --user "$user" -X PUT \
    -H 'Content-Type: application/json' --data-binary '{"input":{"text":"signed"}}' "$base/curl-2" 2> "$work/trace"
auth=$(sed -n 's/^> Authorization: //p' "$work/trace" | tr -d '\r')
date=$(sed -n 's/^> X-Amz-Date: //p' "$work/trace" | tr -d '\r')
expect "curl's signature on a changed body" 403 \
    "$(curl -s -o "$work/body" -w '%{http_code}' -X PUT -H "Authorization: $auth" -H "X-Amz-Date: $date" \
        -H 'Content-Type: application/json' --data-binary '{"input":{"text":"changed"}}' "$base/curl-2")"
says "refused for its signature, not its date" "signature we calculated does not match"
expect "curl's signature replayed unchanged" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: $auth" -H "X-Amz-Date: $date" \
        -H 'Content-Type: application/json' --data-binary '{"input":{"text":"signed"}}' "$base/curl-2")"
echo "curl: $passed passed, $failed failed"

/usr/bin/python3 "$here/botocore_client.py" "$url"
boto=$?
[ "$failed" -eq 0 ] && [ "$boto" -eq 0 ]
