#!/bin/bash
# No secret in any output of the tools: every crowd subcommand (success and failure,
# --verbose) and crowd-emulator, with a known secret key, session token, SSO access token
# and proxy password in play; their stdout, stderr and every file they write are searched
# for each of the four. Run inside scripts/with-emulator --secret-access-key SECRET.
# Usage: secrets.sh CROWD CROWD-EMULATOR
set -u
crowd=$1
emulator=$2
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

secret=$AWS_SECRET_ACCESS_KEY
token="SessionToken-$$-FQoGZXIvYXdzEJr-known"
sso_token="SsoAccessToken-$$-aoaAAAAAGVsb-known"
proxy_password="ProxyPassword-$$-hunter2-known"
export AWS_SESSION_TOKEN=$token
: > "$work/all"
# keep: what the last command printed, into the pile that is searched at the end.
keep() { cat "$work/out" "$work/err" >> "$work/all"; }

# The task commands, each with --verbose, succeeding and failing.
echo '{"text": "No secret here."}' > "$work/input.json"
stdin="$work/input.json" run 0 "put" -- "$crowd" put sentiment-analysis-test s-1 --verbose; keep
run 0 "get" -- "$crowd" get sentiment-analysis-test s-1 --verbose; keep
run 0 "wait" -- "$crowd" wait sentiment-analysis-test s-1 --verbose; keep
run 0 "delete" -- "$crowd" delete sentiment-analysis-test s-1 --verbose; keep
run 3 "get, no such task" -- "$crowd" get sentiment-analysis-test s-1 --verbose; keep
echo '{"txt": 1}' > "$work/bad.json"
stdin="$work/bad.json" run 2 "put, an input the schema refuses" -- "$crowd" put sentiment-analysis s-2 --verbose; keep
stdin="$work/input.json" run 3 "put, an unknown function" -- "$crowd" put no-such-function s-3 --verbose; keep
run 3 "a wrong region" -- "$crowd" get sentiment-analysis-test s-1 --region eu-west-1 --verbose; keep
# --debug: the canonical requests, the bodies and the connections too; in both formats.
stdin="$work/input.json" run 0 "put --debug" -- "$crowd" put sentiment-analysis-test s-4 --debug; keep
run 0 "wait --debug, JSON lines" -- "$crowd" wait sentiment-analysis-test s-4 --debug --log-format json; keep
run 3 "get --debug, a refusal" -- "$crowd" get sentiment-analysis-test s-5 --debug; keep
run 0 "functions" -- "$crowd" functions sentiment-analysis; keep
run 0 "config" -- "$crowd" config; keep

# crowd batch, and the file it writes.
printf '{"taskName": "b-%d", "input": {"text": "line %d"}}\n' 1 1 2 2 3 3 > "$work/tasks.jsonl"
run 0 "batch" -- "$crowd" batch sentiment-analysis-test --in "$work/tasks.jsonl" --out "$work/results.jsonl" --verbose; keep
cat "$work/results.jsonl" >> "$work/all"

# crowd sign, every stage, with the secret in its context.
printf '{"credentials": {"access_key_id": "AKIDKNOWN", "secret_access_key": "%s", "token": "%s"}, "region": "us-east-1", "service": "crowd", "timestamp": "2026-12-05T16:00:00Z"}' \
    "$secret" "$token" > "$work/context.json"
printf 'GET /123456789012/functions/f/tasks/t HTTP/1.1\nHost:crowd.us-east-1.amazonaws.com\n\n' > "$work/request.txt"
# Its output is the request itself, byte for byte (the test vectors' files): a session
# token is part of that request, so it is searched for every secret but the token.
: > "$work/signed"
for stage in canonical-request string-to-sign signature signed-request; do
    run 0 "sign: $stage" -- "$crowd" sign --context "$work/context.json" --request "$work/request.txt" --print "$stage"
    cat "$work/out" "$work/err" >> "$work/signed"
done
run 0 "sign: presigned" -- "$crowd" sign --context "$work/context.json" --request "$work/request.txt" --query
cat "$work/out" "$work/err" >> "$work/signed"
run 2 "sign: a broken context" -- "$crowd" sign --context "$work/input.json" --request "$work/request.txt"; keep
for s in "$secret" "$sso_token" "$proxy_password"; do
    if grep -qF -- "$s" "$work/signed"; then failed=$((failed + 1)); echo "FAILED: crowd sign printed a secret"
    else passed=$((passed + 1)); fi
done

# A proxy with a password, which cannot be reached; and one the endpoint bypasses.
run 4 "through a proxy that refuses" -- env https_proxy="http://user:$proxy_password@127.0.0.1:1" \
    "$crowd" get sentiment-analysis-test s-1 --verbose --retries 0; keep
run 4 "through a proxy that refuses, --debug" -- env https_proxy="http://user:$proxy_password@127.0.0.1:1" \
    "$crowd" get sentiment-analysis-test s-1 --debug --retries 0; keep
run 3 "a proxy bypassed" -- env https_proxy="http://user:$proxy_password@127.0.0.1:1" no_proxy=127.0.0.1 \
    "$crowd" get sentiment-analysis-test s-1 --verbose; keep
run 2 "an https:// proxy, refused" -- env https_proxy="https://user:$proxy_password@127.0.0.1:1" \
    "$crowd" get sentiment-analysis-test s-1; keep
run 0 "config with a proxy" -- env https_proxy="http://user:$proxy_password@127.0.0.1:1" "$crowd" config; keep

# IAM Identity Center: a cached token, a portal that cannot be reached.
mkdir -p "$work/home/.aws/sso/cache"
printf '[profile sso]\nsso_start_url = https://known.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = role\n' \
    > "$work/home/.aws/config"
cache=$(printf '%s' "https://known.awsapps.com/start" | sha1sum | cut -d' ' -f1)
printf '{"accessToken": "%s", "expiresAt": "2099-01-01T00:00:00Z"}' "$sso_token" > "$work/home/.aws/sso/cache/$cache.json"
sso_env="HOME=$work/home AWS_CONFIG_FILE=$work/home/.aws/config AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL_SSO=http://127.0.0.1:1"
# shellcheck disable=SC2086 # the settings are meant to split into words
run 2 "SSO, the portal unreachable (no credentials: exit 2)" -- env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN $sso_env \
    "$crowd" get sentiment-analysis-test s-1 --profile sso --verbose; keep
# shellcheck disable=SC2086
run 0 "config, SSO" -- env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN $sso_env "$crowd" config --profile sso; keep
has all "sso" "the SSO runs were kept"

# crowd-emulator itself: a secret given on its command line is not printed, and its
# state file holds none.
"$emulator" --port 0 --secret-access-key "$secret" --state "$work/state.jsonl" > "$work/emulator.out" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do grep -q "^listening on" "$work/emulator.out" && break; sleep 0.05; done
plain=$(sed -n 's/^listening on //p' "$work/emulator.out")
stdin="$work/input.json" run 0 "put to a second emulator given the secret" -- env AWS_ENDPOINT_URL_CROWD="$plain" \
    "$crowd" put sentiment-analysis s-4 --verbose; keep
kill $pids 2>/dev/null
wait 2>/dev/null
cat "$work/emulator.out" "$work/state.jsonl" >> "$work/all"
has all "as given with --secret-access-key" "the emulator's output was kept"

# The search: none of the four anywhere.
for s in "$secret" "$token" "$sso_token" "$proxy_password"; do
    if grep -qF -- "$s" "$work/all"; then
        failed=$((failed + 1)); echo "FAILED: a secret was printed:"; grep -nF -- "$s" "$work/all" | head -5
    else passed=$((passed + 1)); fi
done
lines=$(wc -l < "$work/all")
[ "$lines" -gt 200 ]; check $? "enough was printed to search ($lines lines)"
finish "no secret in any output"
