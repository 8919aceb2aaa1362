#!/bin/bash
# The crowd tool with nothing but the environment of the places services run, each
# pointed at a local fake (tests/credentials/fake_aws.py) through the SDKs' own override
# settings, signing requests that crowd-emulator (HTTPS, from scripts/with-emulator)
# accepts: an EC2 instance (IMDSv2), an ECS task, an EKS pod with Pod Identity and with
# IRSA (web identity), an IAM Identity Center user, a profile that assumes a role; and
# the same through an HTTP proxy (tinyproxy). No key, no account id in the environment:
# the account comes from the credentials.
# Usage: with-emulator -- cases.sh CROWD TINYPROXY
set -u
crowd=$1
tinyproxy=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'pkill -f -- "$work/" 2>/dev/null; rm -rf "$work"' EXIT
emulator_port=${AWS_ENDPOINT_URL_CROWD##*:}

# counted NAME MINIMUM WHAT: the fake was asked NAME at least MINIMUM times.
counted() {
    local n
    n=$(curl -s "$fake/_stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))")
    [ "$n" -ge "$2" ]; check $? "$3: $1 asked $n times"
}

python3 "$here/fake_aws.py" "$work/port" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$work/fake.log" 2>&1 &
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "the fake did not start:"; cat "$work/fake.log"; exit 1; }
fake="http://127.0.0.1:$(cat "$work/port")"

# Nothing but the environment of the place: no keys, no account, no profile files, and
# instance metadata off unless a case turns it on (pointed at the fake).
mkdir -p "$work/home"
bare() {
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_ACCOUNT_ID \
        AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent HOME="$work/home" \
        AWS_EC2_METADATA_DISABLED=true "$@"
}
echo '{"text": "Everything is wonderful."}' > "$work/input.json"

# Each place, as a prefix for a command: its environment and nothing more.
ec2() { bare AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="$fake" "$@"; }
ecs() {
    bare AWS_CONTAINER_CREDENTIALS_FULL_URI="$fake/ecs/credentials" \
        AWS_CONTAINER_AUTHORIZATION_TOKEN=container-authorization-token "$@"
}
eks() { bare AWS_CONTAINER_CREDENTIALS_FULL_URI="$fake/eks/credentials" AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$work/eks-token" "$@"; }
irsa() {
    bare AWS_WEB_IDENTITY_TOKEN_FILE="$work/web-token" AWS_ROLE_ARN=arn:aws:iam::123456789012:role/crowd \
        AWS_ROLE_SESSION_NAME=e2e AWS_REGION=us-east-1 AWS_ENDPOINT_URL_STS="$fake/sts" "$@"
}
sso() { bare AWS_CONFIG_FILE="$work/home/.aws/config" AWS_PROFILE=sso-user AWS_ENDPOINT_URL_SSO="$fake/sso" "$@"; }
printf 'container-authorization-token\n' > "$work/eks-token"
printf 'web-identity-token' > "$work/web-token"

# An EC2 instance: IMDSv2 at the endpoint override.
stdin="$work/input.json" run 0 "EC2 instance role" -- ec2 "$crowd" put sentiment-analysis-test ec2-1
counted "imds token" 1 "an IMDSv2 session token was asked for"
counted "imds credentials" 1 "the role's credentials were fetched"
run 0 "crowd config on EC2" -- ec2 "$crowd" config
has out "^access key +\\*+[A-Z0-9]{4} +instance metadata$" "the source is instance metadata"
has out "^their account +123456789012 " "the account the instance said"

# An ECS task: the full URI and its authorization token.
stdin="$work/input.json" run 0 "ECS task role" -- ecs "$crowd" put sentiment-analysis-test ecs-1
counted "ecs credentials" 1 "the container endpoint was asked"
run 2 "ECS with a wrong token" -- bare AWS_CONTAINER_CREDENTIALS_FULL_URI="$fake/ecs/credentials" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong "$crowd" get sentiment-analysis-test ecs-1
has err "the container credentials endpoint .* answered 403" "the refusal is said"

# An EKS pod with Pod Identity: the token from its file.
run 0 "EKS Pod Identity" -- eks "$crowd" get sentiment-analysis-test ecs-1
counted "eks credentials" 1 "the pod identity agent was asked"

# An EKS pod with IRSA: web identity through STS.
run 0 "EKS IRSA" -- irsa "$crowd" get sentiment-analysis-test ec2-1
counted "sts AssumeRoleWithWebIdentity" 1 "STS was asked"
printf 'a-token-STS-does-not-know' > "$work/bad-token"
rm -rf "$work/home/.aws/cli"  # the credentials cache: STS itself is asked below
run 2 "IRSA with a token STS refuses" -- bare AWS_WEB_IDENTITY_TOKEN_FILE="$work/bad-token" \
    AWS_ROLE_ARN=arn:aws:iam::123456789012:role/crowd AWS_ENDPOINT_URL_STS="$fake/sts" \
    "$crowd" get sentiment-analysis-test ec2-1
has err "InvalidIdentityToken: No OpenIDConnect provider found \\(STS does not accept the web identity token" \
    "STS's refusal, explained"

# An IAM Identity Center user: the token `aws sso login` cached, then the portal.
mkdir -p "$work/home/.aws/sso/cache"
printf '[profile sso-user]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = CrowdUser\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://example.awsapps.com/start\n' \
    > "$work/home/.aws/config"
printf '{"accessToken": "sso-access-token", "expiresAt": "2199-01-01T00:00:00Z"}' \
    > "$work/home/.aws/sso/cache/$(printf corp | sha1sum | cut -c1-40).json"
run 0 "SSO user" -- sso "$crowd" get sentiment-analysis-test ec2-1
counted "sso credentials" 1 "the portal was asked"
printf '{"accessToken": "sso-access-token", "expiresAt": "2020-01-01T00:00:00Z"}' \
    > "$work/home/.aws/sso/cache/$(printf corp | sha1sum | cut -c1-40).json"
run 2 "SSO with an expired token" -- sso "$crowd" get sentiment-analysis-test ec2-1
has err "has expired; run .aws sso login --sso-session corp." "what to do"
# A token 5 minutes from expiry, with the refresh token and client registration that
# `aws sso login` caches: refreshed through SSO-OIDC (the fake), written back.
sso_cache="$work/home/.aws/sso/cache/$(printf corp | sha1sum | cut -c1-40).json"
python3 -c '
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc)
json.dump({"startUrl": "https://example.awsapps.com/start", "region": "us-east-1", "accessToken": "stale-token",
           "expiresAt": (now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "clientId": "client-1", "clientSecret": "client-secret", "refreshToken": "refresh-1",
           "registrationExpiresAt": (now + datetime.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")},
          open(sys.argv[1], "w"))' "$sso_cache"
run 0 "SSO with a token near expiry: refreshed" -- sso AWS_ENDPOINT_URL_SSO_OIDC="$fake/oidc" "$crowd" get sentiment-analysis-test ec2-1
counted "oidc refresh" 1 "SSO-OIDC CreateToken was asked with the cached refresh token"
python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert t["accessToken"] == "sso-access-token" and t["refreshToken"] == "refresh-2", t
assert t["clientSecret"] == "client-secret" and t["startUrl"] == "https://example.awsapps.com/start", t
' "$sso_cache"; check $? "the refreshed token was written back to the cache, as the aws CLI reads it"

# A profile that assumes a role with the keys of another.
printf '[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n[profile crowd-role]\nrole_arn = arn:aws:iam::123456789012:role/crowd\nsource_profile = base\nrole_session_name = e2e\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$work/role-config"
rm -rf "$work/home/.aws/cli"
run 0 "assumed role" -- bare AWS_CONFIG_FILE="$work/role-config" AWS_ENDPOINT_URL_STS="$fake/sts" \
    "$crowd" get sentiment-analysis-test ec2-1 --profile crowd-role
counted "sts AssumeRole" 1 "STS AssumeRole, signed with the source profile's keys"

# The same through an HTTP proxy: each fake in absolute form (plain HTTP; they are on
# loopback, not on the link-local addresses that never go through a proxy), the service
# through a CONNECT tunnel.
proxy_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'Listen 127.0.0.1\nPort %s\nTimeout 30\nAllow 127.0.0.1\nLogLevel Info\n' "$proxy_port" > "$work/proxy.conf"
"$tinyproxy" -d -c "$work/proxy.conf" > "$work/proxy.log" 2>&1 &
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $proxy_port), 0.2)" 2>/dev/null && break
    sleep 0.05
done
printf '{"accessToken": "sso-access-token", "expiresAt": "2199-01-01T00:00:00Z"}' \
    > "$work/home/.aws/sso/cache/$(printf corp | sha1sum | cut -c1-40).json"
rm -rf "$work/home/.aws/cli"
for place in ec2 ecs eks irsa sso; do
    run 0 "$place through the proxy" -- "$place" HTTP_PROXY="http://127.0.0.1:$proxy_port" \
        HTTPS_PROXY="http://127.0.0.1:$proxy_port" "$crowd" get sentiment-analysis-test ec2-1
done
fake_authority="127.0.0.1:$(cat "$work/port")"
has proxy.log "PUT http://$fake_authority/latest/api/token" "instance metadata on loopback went through the proxy"
has proxy.log "GET http://$fake_authority/ecs/credentials" "the ECS endpoint went through the proxy"
has proxy.log "GET http://$fake_authority/eks/credentials" "the pod identity agent went through the proxy"
has proxy.log "POST http://$fake_authority/sts" "STS went through the proxy, in absolute form"
has proxy.log "GET http://$fake_authority/sso/federation/credentials" "the SSO portal went through the proxy"
has proxy.log "CONNECT 127.0.0.1:$emulator_port" "the service went through the tunnel"

# The aws CLI's credentials cache: 100 runs with an assumed role make one STS call; the
# file is where and what the aws CLI writes (its name botocore's hash of the call's
# arguments), private; --no-credentials-cache asks STS every time.
cache_home="$work/cache-home"
mkdir -p "$cache_home"
role_arn=arn:aws:iam::123456789012:role/crowd-cached
printf '[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n[profile cached]\nrole_arn = %s\nsource_profile = base\nduration_seconds = 3600\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$role_arn" > "$work/cached-config"
cached() { bare HOME="$cache_home" AWS_CONFIG_FILE="$work/cached-config" AWS_ENDPOINT_URL_STS="$fake/sts" AWS_PROFILE=cached "$@"; }
sts_calls() { curl -s "$fake/_stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('sts AssumeRole', 0))"; }
before=$(sts_calls)
ok=0
for i in $(seq 100); do
    cached "$crowd" get sentiment-analysis-test ec2-1 > /dev/null 2>"$work/err" && ok=$((ok + 1))
done
[ "$ok" -eq 100 ]; check $? "100 runs with an assumed role succeeded ($ok)"
[ "$(sts_calls)" -eq $((before + 1)) ]; check $? "100 runs made one STS call ($(( $(sts_calls) - before )))"
key=$(python3 -c "import hashlib, json, sys; print(hashlib.sha1(json.dumps({'RoleArn': sys.argv[1], 'DurationSeconds': 3600}, sort_keys=True).encode()).hexdigest())" "$role_arn")
cache_file="$cache_home/.aws/cli/cache/$key.json"
[ -f "$cache_file" ]; check $? "the cache file is the aws CLI's: ~/.aws/cli/cache/<botocore's key>.json"
[ "$(stat -c %a "$cache_file")" = 600 ]; check $? "the cache file is private (0600: $(stat -c %a "$cache_file"))"
[ "$(stat -c %a "$cache_home/.aws/cli/cache")" = 700 ]; check $? "its folder is private (0700)"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["Credentials"]
assert set(c) >= {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}, c
' "$cache_file"; check $? "the file holds the credentials as the aws CLI reads them"
run 0 "--no-credentials-cache" -- cached "$crowd" get sentiment-analysis-test ec2-1 --no-credentials-cache
[ "$(sts_calls)" -eq $((before + 2)) ]; check $? "--no-credentials-cache asks STS"
# Credentials the cache holds that are within 15 minutes of expiry are fetched again.
python3 -c '
import json, sys, datetime
doc = json.load(open(sys.argv[1]))
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)
doc["Credentials"]["Expiration"] = soon.strftime("%Y-%m-%dT%H:%M:%SUTC")
json.dump(doc, open(sys.argv[1], "w"))
' "$cache_file"
run 0 "a cached entry near expiry" -- cached "$crowd" get sentiment-analysis-test ec2-1
[ "$(sts_calls)" -eq $((before + 3)) ]; check $? "an entry 10 minutes from expiry is fetched again"

# A role with mfa_serial: the code is asked on the terminal (a pseudo-terminal here), and
# refused with a clear error without one.
printf '[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/crowd-mfa\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/operator\n' \
    "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$work/mfa-config"
mfa() { bare HOME="$work/mfa-home" AWS_CONFIG_FILE="$work/mfa-config" AWS_ENDPOINT_URL_STS="$fake/sts" AWS_PROFILE=mfa "$@"; }
stdin=/dev/null run 2 "an MFA role without a terminal" -- mfa "$crowd" get sentiment-analysis-test ec2-1
has err "needs a code of the MFA device arn:aws:iam::123456789012:mfa/operator \(the profile's mfa_serial\), and stdin is not a terminal" "the error says why and what to do"
mfa python3 -c '
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
sent = False
while True:
    ready, _, _ = select.select([fd], [], [], 20)
    if not ready:
        sys.exit("no prompt in 20 s: " + out.decode(errors="replace"))
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not sent and b"Enter MFA code for arn:aws:iam::123456789012:mfa/operator: " in out:
        os.write(fd, b"123456\n")
        sent = True
_, status = os.waitpid(pid, 0)
sys.exit(0 if sent and os.waitstatus_to_exitcode(status) == 0 else "exit %d: %s" % (os.waitstatus_to_exitcode(status), out.decode(errors="replace")))
' "$crowd" get sentiment-analysis-test ec2-1 > "$work/out" 2>&1
check $? "on a terminal the code is asked for, and the role assumed with it: $(tail -c 300 "$work/out")"
counted "sts AssumeRole with MFA arn:aws:iam::123456789012:mfa/operator" 1 "STS was given the device and its code"

finish "crowd where services run"
