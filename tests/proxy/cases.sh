#!/bin/bash
# The crowd tool through real HTTP proxies (Debian's tinyproxy on loopback), run inside
# scripts/with-emulator (HTTPS with a throw-away CA in AWS_CA_BUNDLE):
#   - HTTPS_PROXY / https_proxy with user and password: an HTTP CONNECT tunnel, the
#     certificate still checked against the service (the proxy's log shows the tunnel);
#   - a proxy that wants credentials and gets none (407), one that refuses (403): clear errors;
#   - NO_PROXY bypasses it; an https:// proxy URL is refused; the password never printed.
# Usage: with-emulator -- cases.sh CROWD TINYPROXY
set -u
crowd=$1
tinyproxy=$2
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'pkill -f -- "-c $work/" 2>/dev/null; rm -rf "$work"' EXIT
emulator_port=${AWS_ENDPOINT_URL_CROWD##*:}


# start_proxy NAME EXTRA-CONFIG: a tinyproxy on a free loopback port; prints the port.
start_proxy() {
    local name=$1 extra=$2 port
    port=$(free_port)
    printf 'Listen 127.0.0.1\nPort %s\nTimeout 30\nMaxClients 20\nLogLevel Info\n%b\n' "$port" "$extra" > "$work/$name.conf"
    "$tinyproxy" -d -c "$work/$name.conf" > "$work/$name.log" 2>&1 &
    for _ in $(seq 100); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
            echo "$port"
            return
        fi
        sleep 0.05
    done
    echo "proxy $name did not start:" >&2
    cat "$work/$name.log" >&2
    return 1
}

authenticated=$(start_proxy authenticated 'Allow 127.0.0.1\nBasicAuth alice s3cret-pw') || exit 1
refusing=$(start_proxy refusing 'Allow 10.255.255.1') || exit 1
# (Started in a subshell each: the trap stops them by name.)
closed=$(free_port)  # nothing listens there
echo '{"text": "Everything is wonderful."}' > "$work/input.json"

# Through the tunnel, credentials in the URL (the password %-escaped: "%2D" is "-").
stdin="$work/input.json" run 0 "put through HTTPS_PROXY" -- env HTTPS_PROXY="http://alice:s3cret%2Dpw@127.0.0.1:$authenticated" \
    "$crowd" put sentiment-analysis-test px-1
has authenticated.log "CONNECT 127.0.0.1:$emulator_port" "the proxy carried the tunnel to the service"
run 0 "get through https_proxy" -- env https_proxy="http://alice:s3cret%2Dpw@127.0.0.1:$authenticated" \
    "$crowd" get sentiment-analysis-test px-1
has out '"state":"completed"' "the task came back through the tunnel"
[ "$(grep -c "CONNECT 127.0.0.1:$emulator_port" "$work/authenticated.log")" -ge 2 ]; check $? "both commands went through the proxy"

# --verbose through the proxy: the password is never printed.
run 0 "--verbose through the proxy" -- env HTTPS_PROXY="http://alice:s3cret%2Dpw@127.0.0.1:$authenticated" \
    "$crowd" get sentiment-analysis-test px-1 --verbose
lacks err "s3cret" "the proxy password"

# A proxy that wants credentials and gets none: 407, said so.
run 4 "no proxy credentials" -- env HTTPS_PROXY="http://127.0.0.1:$authenticated" "$crowd" get sentiment-analysis-test px-1
has err "refused a tunnel to 127.0.0.1:$emulator_port: 407" "the 407 is reported"
has err "put user:password in the proxy URL" "what to do about it"
run 4 "wrong proxy password" -- env HTTPS_PROXY="http://alice:wrong@127.0.0.1:$authenticated" "$crowd" get sentiment-analysis-test px-1
# (tinyproxy answers a wrong password with 401, not 407.)
has err "40[17] .*refused the user and password" "a wrong password is told apart"
lacks err "wrong" "the wrong password is not printed either"

# A proxy that refuses this client: 403.
run 4 "a refusing proxy" -- env HTTPS_PROXY="http://127.0.0.1:$refusing" "$crowd" get sentiment-analysis-test px-1
has err "refused a tunnel to 127.0.0.1:$emulator_port: 403" "the 403 is reported"

# NO_PROXY bypasses the proxy (which is not even listening here).
run 0 "NO_PROXY=127.0.0.1" -- env HTTPS_PROXY="http://127.0.0.1:$closed" NO_PROXY="localhost,127.0.0.1" \
    "$crowd" get sentiment-analysis-test px-1
run 0 "no_proxy=*" -- env https_proxy="http://127.0.0.1:$closed" no_proxy="*" "$crowd" get sentiment-analysis-test px-1
run 4 "a proxy that is down" -- env HTTPS_PROXY="http://127.0.0.1:$closed" "$crowd" get sentiment-analysis-test px-1
has err "connecting to the proxy 127.0.0.1:$closed" "the proxy is named"

# Proxy URLs the transport cannot use.
run 2 "an https:// proxy" -- env HTTPS_PROXY="https://127.0.0.1:$authenticated" "$crowd" get sentiment-analysis-test px-1
has err "HTTPS_PROXY: an https:// proxy \\(TLS to the proxy\\) is not supported" "the https proxy is refused"

finish "crowd through proxies"
