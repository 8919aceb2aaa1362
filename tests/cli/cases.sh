#!/bin/bash
# The crowd tool end to end, run inside scripts/with-emulator (HTTPS with a throw-away CA
# in AWS_CA_BUNDLE): every subcommand, every exit code, TLS refusal of an untrusted
# certificate, --ca-file, --profile, and --verbose never showing a secret.
# Usage: with-emulator --complete-after 3600000 -- cases.sh CROWD
# Tasks of real functions process for that hour, those of -test twins finish at once: every
# check sees the state it needs, however loaded the machine (no time windows).
set -u
crowd=$1
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'rm -rf "$work"' EXIT
ca=$AWS_CA_BUNDLE
url=$AWS_ENDPOINT_URL_CROWD

stats() { curl -s --cacert "$ca" "$url/_emulator/stats"; }

# Usage errors: exit 2 and one line naming the problem.
for command in put get delete wait functions sign; do
    run 0 "$command --help" -- "$crowd" "$command" --help
    has out "^Usage: crowd $command" "$command --help"
done
run 0 "crowd --help" -- "$crowd" --help
has out "^  wait " "crowd --help lists wait"
run 2 "put without TASK" -- "$crowd" put sentiment-analysis
has err "^crowd: put: give FUNCTION and TASK" "put without TASK"
run 2 "a bad task name" -- "$crowd" get sentiment-analysis "no spaces"
has err "task name \"no spaces\": a space .0x20. at position 3 is not allowed" "a bad task name: which character, where"
run 2 "an unknown option" -- "$crowd" get sentiment-analysis t --fast
has err "unknown option \"--fast\"" "an unknown option"
run 2 "--retries not a number" -- "$crowd" get sentiment-analysis t --retries many
run 2 "--timeout not a number" -- "$crowd" wait sentiment-analysis t --timeout soon
run 2 "--account with 11 digits" -- "$crowd" get sentiment-analysis t --account 12345678901
has err "--account: " "--account with 11 digits"
run 2 "no account at all" -- env -u AWS_ACCOUNT_ID "$crowd" get sentiment-analysis t
has err "the account id is not set \(client_config::account, AWS_ACCOUNT_ID or the profile's aws_account_id\), and the credentials do not say theirs" "no account at all"
run 2 "no credentials" -- env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE=/nonexistent \
    AWS_SHARED_CREDENTIALS_FILE=/nonexistent "$crowd" get sentiment-analysis t
has err "credentials" "no credentials"

# functions: the catalogue and each input's outline.
run 0 "functions" -- "$crowd" functions
[ "$(grep -o '"test":"[a-z-]*-test"' "$work/out" | wc -l)" = 13 ]; check $? "functions lists 13"
run 0 "functions bounding-box" -- "$crowd" functions bounding-box
has out '"input":\{"image":\{"url":"string"\},"labels":\[\{"label":"string"\}\]\}' "bounding-box's input outline"
has out '"limits":\{"image.url":"an http\(s\) URL of at most 400 characters","labels":"1..10 entries","labels\[\].label":"1..100 characters"\}' "bounding-box's limits"
run 2 "functions of an unknown name" -- "$crowd" functions text-relevance
has err "not a documented function" "functions of an unknown name"

# put: stdin or a file; checked against the typed schema before sending.
printf '{"text":"Everything is wonderful."}' > "$work/input.json"
stdin="$work/input.json" run 0 "put from stdin" -- "$crowd" put sentiment-analysis cli-1
has out '^\{"taskName":"cli-1","input":\{"text":"Everything is wonderful."\}.*"state":"processing"' "put prints the task"
# While it processes (for the hour): get, delete refused, and a wait that times out.
run 0 "get" -- "$crowd" get sentiment-analysis cli-1
has out '"state":"processing"' "get while processing"
run 3 "delete while processing" -- "$crowd" delete sentiment-analysis cli-1
has err "HTTP 409" "delete while processing: 409"
run 5 "wait past its --timeout" -- "$crowd" wait sentiment-analysis cli-1 --timeout 0.2
has err "still processing after 0.2 s" "the wait says how long"
run 0 "put again from a file: the same task" -- "$crowd" put sentiment-analysis cli-1 --input "$work/input.json"
printf '{"text":""}' > "$work/empty.json"
run 2 "put of an input breaking a limit" -- "$crowd" put sentiment-analysis cli-2 --input "$work/empty.json"
has err "text: is empty" "the limit is named"
printf '{"txt":"typo"}' > "$work/typo.json"
run 2 "put of an input with a wrong key" -- "$crowd" put sentiment-analysis cli-2 --input "$work/typo.json"
has err "typo.json: txt: not a key of the sentiment-analysis input" "the misspelt key is named"
printf '{}' > "$work/nothing.json"
run 2 "put of an input without its key" -- "$crowd" put sentiment-analysis cli-2 --input "$work/nothing.json"
has err "is not a sentiment-analysis input: text: missing" "the missing key is named"
printf '{"text":"runs small","categories":[{"label":"Fit","descripton":"size"}]}' > "$work/misspelt.json"
run 2 "put with a misspelt optional key" -- "$crowd" put text-categorization cli-2 --input "$work/misspelt.json"
has err "categories\[0\].descripton: not a key of the text-categorization input" "the unknown key is named with its path"
printf 'not json' > "$work/bad.json"
run 2 "put of a file that is not JSON" -- "$crowd" put sentiment-analysis cli-2 --input "$work/bad.json"
run 2 "put of a file that does not exist" -- "$crowd" put sentiment-analysis cli-2 --input /nonexistent.json
stats > "$work/stats"
has stats '"PUT 201":1' "one task made"
lacks stats '"PUT 400"' "nothing invalid was sent"
printf '{"text":"Another input"}' > "$work/other.json"
run 3 "put of the same name with another input" -- "$crowd" put sentiment-analysis cli-1 --input "$work/other.json"
has err "^crowd: the service refused: .*\(HTTP 400\)" "the refusal gives the status"
run 3 "an unknown function goes the untyped way and is refused" -- "$crowd" put text-relevance cli-3 --input "$work/input.json"
has err "HTTP 404" "unknown function: 404"

# wait until completed, then delete (a -test task: completed at once).
stdin="$work/input.json" run 0 "put of a -test task" -- "$crowd" put sentiment-analysis-test cli-7
run 0 "wait" -- "$crowd" wait sentiment-analysis-test cli-7 --timeout 30
has out '"state":"completed","result":\{"sentiment":' "wait prints the completed task"
run 0 "delete" -- "$crowd" delete sentiment-analysis-test cli-7
[ ! -s "$work/out" ]; check $? "delete prints nothing"
run 3 "get after delete" -- "$crowd" get sentiment-analysis-test cli-7
has err "HTTP 404" "get after delete: 404"

# Exit 1: an answer that is not a task document. A plain file server on loopback plays the
# service and serves "not json" at the task's path.
mkdir -p "$work/site/123456789012/functions/sentiment-analysis/tasks"
printf 'not json' > "$work/site/123456789012/functions/sentiment-analysis/tasks/cli-8"
python3 -u -m http.server --bind 127.0.0.1 --directory "$work/site" 0 > "$work/site.log" 2>&1 &
site=$!
for _ in $(seq 100); do grep -q 'port [0-9]' "$work/site.log" && break; sleep 0.05; done
site_port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/site.log" | head -n 1)
run 1 "an answer that is not a task document" -- "$crowd" get sentiment-analysis cli-8 \
    --endpoint "http://127.0.0.1:$site_port" --retries 0
has err "^crowd: .*document is not valid JSON" "the unreadable answer is named"
kill "$site" 2>/dev/null; wait "$site" 2>/dev/null

# Truthful outcomes through a gateway that acts on a request, then answers 504. With seed
# 11 the emulator's draws are fixed: the first PUT is acted on and answered 504, its retry
# gets 200; the first DELETE deletes and is answered 504, its retry finds no task (404).
# The task is gone, as asked: exit 0. (The stats check that this is what happened.)
with_emulator="$(cd "$(dirname "$0")/../.." && pwd)/scripts/with-emulator"
run 0 "a delete whose task is gone after a gateway's 504 exits 0" -- sh "$with_emulator" \
    --gateway-timeout-share 0.5 --seed 11 -- bash -c "'$crowd' put sentiment-analysis-test gw-1 --input '$work/input.json' \
        && '$crowd' delete sentiment-analysis-test gw-1 \
        && curl -s --cacert \"\$AWS_CA_BUNDLE\" \"\$AWS_ENDPOINT_URL_CROWD/_emulator/stats\""
has out '"created":1' "the task was created once"
has out '"PUT 504":1' "the PUT met the gateway timeout"
has out '"DELETE 504":1' "the DELETE met the gateway timeout"
has out '"DELETE 404":1' "and its retry found the task gone"
# A service that fails every attempt: exit 3 once the retries are spent, naming the status.
run 3 "retries spent on 504s exit 3" -- sh "$with_emulator" --gateway-timeout-share 1 -- \
    "$crowd" get sentiment-analysis-test gw-2 --retries 2
has err "^crowd: the service refused: service failed or is unavailable \(HTTP 504\)" "the last answer is named"

# At a terminal (script(1) gives one): pretty JSON on stdout, wait's progress on stderr.
stdin="$work/input.json" run 0 "put for the terminal" -- "$crowd" put sentiment-analysis-test cli-6
run 0 "wait at a terminal" -- script -qec "$crowd wait sentiment-analysis-test cli-6 --timeout 30" /dev/null
has out "waiting: [0-9]+\.[0-9] s, completed" "the progress line"
has out '^  "taskName": "cli-6",' "indented JSON"

# --test uses the -test twin; the twin's name works too.
stdin="$work/input.json" run 0 "put --test" -- "$crowd" put sentiment-analysis cli-4 --test
run 0 "the -test twin by name" -- "$crowd" get sentiment-analysis-test cli-4
run 3 "not the real function" -- "$crowd" get sentiment-analysis cli-4

# TLS: the throw-away CA is not in the system store; --ca-file trusts it again.
run 4 "an untrusted certificate is refused" -- env -u AWS_CA_BUNDLE "$crowd" get sentiment-analysis-test cli-4
has err "^crowd: no answer from the service: .*certificate" "the refusal names the certificate"
run 0 "--ca-file" -- env -u AWS_CA_BUNDLE "$crowd" get sentiment-analysis-test cli-4 --ca-file "$ca"
run 4 "nobody listening" -- "$crowd" get sentiment-analysis-test cli-4 --endpoint https://127.0.0.1:1 --retries 0
has err "^crowd: no answer from the service: " "nobody listening"

# The settings are used: a wrong region breaks the signature; --profile wins over the environment.
run 3 "--region changes the signature" -- "$crowd" get sentiment-analysis-test cli-4 --region eu-west-1
has err "HTTP 403" "wrong region: 403"
printf '[profile emulator]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$work/config"
run 0 "--profile over wrong keys in the environment" -- env AWS_CONFIG_FILE="$work/config" \
    AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ACCESS_KEY_ID=AKIDWRONG AWS_SECRET_ACCESS_KEY=wrong \
    "$crowd" get sentiment-analysis-test cli-4 --profile emulator
run 2 "--profile that does not exist" -- env AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
    "$crowd" get sentiment-analysis-test cli-4 --profile nobody
has err 'no profile "nobody"' "the missing profile is named"

# Settings from the profile, as the SDKs read them: the endpoint from its [services]
# section, the account from aws_account_id, the CA from ca_bundle; AWS_REGION over the
# profile's region; and `crowd config` says where each came from.
printf '[profile settings]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = eu-west-1\naws_account_id = 210987654321\nca_bundle = %s\nservices = local\nsdk_ua_app_id = my-app\n[services local]\ncrowd =\n  endpoint_url = %s\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$ca" "$url" > "$work/settings-config"
stdin="$work/input.json" run 0 "settings from the profile" -- env -u AWS_ENDPOINT_URL_CROWD -u AWS_ACCOUNT_ID -u AWS_CA_BUNDLE \
    AWS_REGION=us-east-1 AWS_CONFIG_FILE="$work/settings-config" AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
    "$crowd" put sentiment-analysis-test cli-settings --profile settings
run 0 "the task is in the profile's account" -- "$crowd" get sentiment-analysis-test cli-settings --account 210987654321
run 3 "and not in the environment's" -- "$crowd" get sentiment-analysis-test cli-settings
run 0 "crowd config" -- env -u AWS_ENDPOINT_URL_CROWD -u AWS_ACCOUNT_ID -u AWS_CA_BUNDLE AWS_REGION=us-east-1 \
    AWS_CONFIG_FILE="$work/settings-config" AWS_SHARED_CREDENTIALS_FILE=/nonexistent "$crowd" config --profile settings
has out "^profile +settings +option$" "the profile, from the option"
has out "^region +us-east-1 +env AWS_REGION$" "the region, from the environment over the profile"
has out "^endpoint +${url//./\\.} +$work/settings-config line 10$" "the endpoint, from the [services] section"
has out "^account +210987654321 +$work/settings-config line 5$" "the account, from aws_account_id"
has out "^ca bundle +$ca +$work/settings-config line 6$" "the CA bundle, from ca_bundle"
has out "^app id +my-app +$work/settings-config line 8$" "the app id, from sdk_ua_app_id"
has out "^max attempts +3 +default$" "a default"
has out "^access key +\*+${AWS_ACCESS_KEY_ID: -4} +profile \"settings\"$" "the key id masked, and its source"
has out "^secret key +<redacted> " "the secret is never shown"
lacks out "$AWS_SECRET_ACCESS_KEY" "the secret"
run 2 "FIPS for crowd, refused by name" -- env -u AWS_ENDPOINT_URL_CROWD AWS_USE_FIPS_ENDPOINT=true "$crowd" config
has err "env AWS_USE_FIPS_ENDPOINT: FIPS is enabled, but the crowd service publishes no FIPS endpoint" "the setting and its source"
run 2 "FIPS beside an endpoint" -- env AWS_USE_FIPS_ENDPOINT=true "$crowd" get sentiment-analysis-test cli-4
has err "env AWS_USE_FIPS_ENDPOINT: FIPS and custom endpoint are not supported \(the endpoint $url comes from env AWS_ENDPOINT_URL_CROWD\)" "the SDKs' words, and both sources"
run 0 "crowd config shows FIPS and dual-stack" -- env AWS_USE_DUALSTACK_ENDPOINT=false "$crowd" config
has out "^fips endpoint +false +default$" "FIPS off, by default"
has out "^dual-stack +false +env AWS_USE_DUALSTACK_ENDPOINT$" "dual-stack off, and where that came from"
run 2 "an app id over 50 characters" -- env AWS_SDK_UA_APP_ID="$(printf 'a%.0s' $(seq 51))" "$crowd" config
has err "env AWS_SDK_UA_APP_ID: the app id has 51 characters; the SDKs allow at most 50" "the app id's limit"

# --verbose: each call, request and response as log records (a time, a level, a component,
# the invocation id and attempt), and never the secret, a signature or the token.
token="SessionTokenValue-$$-never-printed"
uuid="[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
stamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"
stdin="$work/input.json" run 0 "--verbose" -- env AWS_SESSION_TOKEN="$token" "$crowd" put sentiment-analysis-test cli-5 --verbose
cp "$work/err" "$work/log-only"
cat "$work/out" >> "$work/err"
has err "^$stamp DEBUG request \[$uuid #1\] > PUT /123456789012/functions/sentiment-analysis-test/tasks/cli-5 HTTP/1.1$" "the request line"
has err "^    > Authorization: AWS4-HMAC-SHA256 Credential=$AWS_ACCESS_KEY_ID/[0-9]{8}/us-east-1/crowd/aws4_request, SignedHeaders=[a-z;-]*x-amz-security-token, Signature=<redacted>$" "the signature is redacted"
has err "^    > X-Amz-Security-Token: <redacted>$" "the token is redacted"
has err "^$stamp DEBUG response \[$uuid #1\] < HTTP/1.1 201$" "the response line"
has err "^    > amz-sdk-request: attempt=1; max=[0-9]+$" "the attempt header"
has err "^    > amz-sdk-invocation-id: $uuid$" "the invocation id"
has err "^    > User-Agent: mturk-crowd-cpp/[0-9.]+ ua/2\.1 api/crowd#[0-9.]+ os/linux#[^ ]+ lang/cpp#20 md/arch#[^ ]+ cfg/retry-mode#standard m/E,N$" "the User-Agent in the SDKs' 2.1 form"
has err "^$stamp INFO call \[$uuid\] PutTask sentiment-analysis-test/cli-5 succeeded \([0-9.]+ s, 1 attempt, created\)$" "the call's end"
has err "^$stamp INFO credentials credentials from environment \(access key \.\.\.[A-Z0-9]{4}\) in [0-9]+ ms, long-lived$" "where the credentials came from"
has err "^$stamp INFO endpoint endpoint $url \(from env AWS_ENDPOINT_URL_CROWD\), signing region us-east-1 \(from default\)" "where the endpoint came from"
lacks err "$AWS_SECRET_ACCESS_KEY" "the secret"
lacks err "$token" "the token"
lacks err "[0-9a-f]{64}" "a signature or a hash"
lacks log-only '"text"' "the body (--verbose leaves bodies out)"

# --debug: everything, at trace: the canonical request (its token redacted), the bodies,
# the pool's connections; --log-format json: one JSON object a line.
stdin="$work/input.json" run 0 "--debug" -- env AWS_SESSION_TOKEN="$token" "$crowd" put sentiment-analysis-test cli-6 --debug
has err "^$stamp TRACE signing \[$uuid #1\] canonical request:$" "the canonical request"
has err "^    x-amz-security-token:<redacted>$" "the canonical request's token is redacted"
has err "^    \{\"input\":\{\"text\":" "the request's body"
has err "^$stamp DEBUG pool \[$uuid\] opened connection 0 to 127\.0\.0\.1:[0-9]+ in [0-9]+ ms \(TCP keep-alive 30 s\)$" "the connection, with TCP keep-alive"
lacks err "$AWS_SECRET_ACCESS_KEY" "the secret"
lacks err "$token" "the token"
run 0 "--debug --log-format json" -- env AWS_SESSION_TOKEN="$token" "$crowd" get sentiment-analysis-test cli-6 --debug --log-format=json
python3 -c '
import json, sys
seen = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) <= {"time", "level", "component", "invocation_id", "attempt", "message"}, o
    assert o["level"] in ("trace", "debug", "info", "warn", "error"), o
    seen.add(o["component"])
assert {"endpoint", "credentials", "call", "signing", "request", "response", "pool"} <= seen, seen
' "$work/err"; check $? "every stderr line is a JSON object with the fields, of every component"
lacks err "$token" "the token (JSON)"
run 0 "--log-format alone: calls at info" -- "$crowd" get sentiment-analysis-test cli-6 --log-format json
has err '^\{"time":"[^"]+","level":"info","component":"call","invocation_id":"[^"]+","message":"GetTask sentiment-analysis-test/cli-6 succeeded' "the call, as JSON"
lacks err '"component":"request"' "no requests at info"
run 2 "--log-format of a format crowd does not write" -- "$crowd" get sentiment-analysis-test cli-6 --log-format yaml
has err '^crowd: get: --log-format: ' "--log-format yaml is refused"

# The aws CLI's habits: --opt=value, its option names as aliases, options before the command.
run 0 "--opt=value and --endpoint-url" -- env -u AWS_ENDPOINT_URL_CROWD "$crowd" get sentiment-analysis-test cli-4 --endpoint-url="$url"
has out '"taskName":"cli-4"' "--endpoint-url=URL"
run 0 "--ca-bundle" -- env -u AWS_CA_BUNDLE "$crowd" get sentiment-analysis-test cli-4 --ca-bundle "$ca"
run 0 "options before the command" -- env -u AWS_ENDPOINT_URL_CROWD "$crowd" --endpoint-url "$url" --retries=1 get sentiment-analysis-test cli-4
run 2 "an option before a command that does not take it" -- "$crowd" --region eu-west-1 functions
has err '^crowd: functions: takes no --region' "the option is refused, named"
run 0 "--cli-connect-timeout and --cli-read-timeout" -- "$crowd" get sentiment-analysis-test cli-4 \
    --cli-connect-timeout 5 --cli-read-timeout=0
run 2 "--cli-read-timeout not a number" -- "$crowd" get sentiment-analysis-test cli-4 --cli-read-timeout soon
has err '^crowd: get: --cli-read-timeout takes seconds from 0 to a day, not "soon"' "the bad time limit is named"
run 2 "--output of a format crowd does not print" -- "$crowd" get sentiment-analysis-test cli-4 --output yaml
has err '^crowd: get: --output: ' "--output yaml is refused"
run 0 "--version" -- "$crowd" --version
has out "^crowd \(mturk-crowd-cpp\) [0-9]+\.[0-9]+\.[0-9]+$" "the tool's version, as help2man reads it"
has out "^Boost: 1\.[0-9]+\.[0-9]+$" "Boost's version"
has out "^OpenSSL: OpenSSL [0-9]" "OpenSSL's version"

# --output text: one line per task, tab-separated, for cut and awk; from the option, the
# environment (AWS_DEFAULT_OUTPUT) or the profile's output, in the aws CLI's order.
run 0 "--output text" -- "$crowd" get sentiment-analysis-test cli-4 --output text
[ "$(cut -f1,2 "$work/out")" = "$(printf 'cli-4\tcompleted')" ]; check $? "get --output text: name and state in fields 1 and 2"
[ "$(wc -l < "$work/out")" = 1 ]; check $? "get --output text: one line"
[ "$(cut -f4 "$work/out")" = '{"text":"Everything is wonderful."}' ]; check $? "get --output text: the input in field 4"
run 0 "put --output text" -- env AWS_DEFAULT_OUTPUT=text "$crowd" put sentiment-analysis cli-text --input "$work/input.json"
[ "$(cut -f2,3 "$work/out")" = "$(printf 'processing\t-')" ]; check $? "AWS_DEFAULT_OUTPUT=text: processing, no result yet"
run 0 "--output json over AWS_DEFAULT_OUTPUT" -- env AWS_DEFAULT_OUTPUT=text "$crowd" get sentiment-analysis cli-text --output json
has out '^\{"taskName":"cli-text"' "--output json wins"
printf '[default]\noutput = text\n[profile tabled]\noutput = table\naws_access_key_id = %s\naws_secret_access_key = %s\n[profile odd]\noutput = xml\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$work/output-config"
run 0 "the profile's output" -- env AWS_CONFIG_FILE="$work/output-config" "$crowd" get sentiment-analysis cli-text
has out "^cli-text	processing	-	" "output = text in the profile"
run 0 "an aws CLI format crowd does not print gives JSON" -- env AWS_CONFIG_FILE="$work/output-config" \
    "$crowd" get sentiment-analysis cli-text --profile tabled
has out '^\{"taskName":"cli-text"' "output = table: JSON"
run 2 "an output crowd does not know" -- env AWS_CONFIG_FILE="$work/output-config" "$crowd" get sentiment-analysis cli-text --profile odd
has err "^crowd: $work/output-config line 8 says output \"xml\": crowd prints json or text$" "the file and line are named"
run 2 "AWS_DEFAULT_OUTPUT crowd does not know" -- env AWS_DEFAULT_OUTPUT=xml "$crowd" get sentiment-analysis cli-text
has err '^crowd: env AWS_DEFAULT_OUTPUT says output "xml"' "the variable is named"
run 0 "a command that prints no document ignores AWS_DEFAULT_OUTPUT" -- env AWS_DEFAULT_OUTPUT=xml \
    "$crowd" delete sentiment-analysis-test cli-4
run 0 "functions --output text" -- "$crowd" functions --output text
[ "$(wc -l < "$work/out")" = 13 ]; check $? "functions --output text: 13 lines"
has out "^bounding-box	bounding-box-test	\{" "a function's line: name, test twin, input outline"
run 0 "config --output json" -- "$crowd" config --output json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s={r["setting"]: r for r in d["settings"]}; assert s["output"]["value"]=="json" and s["output"]["from"]=="option" and s["secret key"]["value"]=="<redacted>", d' "$work/out"
check $? "config --output json: one object per setting, the output's from the option"
run 0 "config --output text" -- env AWS_DEFAULT_OUTPUT=text "$crowd" config
has out "^output	text	env AWS_DEFAULT_OUTPUT$" "config in text: setting, value, source"
lacks out "$AWS_SECRET_ACCESS_KEY" "the secret, in text"

finish "crowd CLI"
