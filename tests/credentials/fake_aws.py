#!/usr/bin/env python3
"""Fakes of the services credentials come from, on one loopback port, for the end-to-end
tests: EC2 instance metadata (IMDSv2), the ECS/EKS container endpoint, STS
(AssumeRole, AssumeRoleWithWebIdentity) and the IAM Identity Center portal. Each hands
out the key and secret given on the command line (crowd-emulator's, so that what is
signed with them is accepted), with a session token naming the service, and counts what
it was asked: GET /_stats gives the counts as JSON; GET /_expiry?at=UNIX_SECONDS fixes
the expiry of every answer after it.

  fake_aws.py PORT_FILE ACCESS_KEY_ID SECRET [--lifetime SECONDS]

It binds 127.0.0.1:0 and writes the port to PORT_FILE. Every answer expires LIFETIME
seconds after it is made (default one hour).
"""
import datetime
import http.server
import json
import sys
import threading
import urllib.parse

port_file, key_id, secret = sys.argv[1], sys.argv[2], sys.argv[3]
lifetime = 3600
if "--lifetime" in sys.argv:
    lifetime = int(sys.argv[sys.argv.index("--lifetime") + 1])

IMDS_TOKEN = "imds-session-token"
CONTAINER_TOKEN = "container-authorization-token"
SSO_TOKEN = "sso-access-token"
ACCOUNT = "123456789012"
counts = {}
lock = threading.Lock()


def count(name):
    with lock:
        counts[name] = counts.get(name, 0) + 1


fixed_expiry = None  # set through GET /_expiry?at=UNIX_SECONDS


def expiry():
    if fixed_expiry is not None:
        return datetime.datetime.fromtimestamp(fixed_expiry, datetime.timezone.utc)
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
    return when.replace(microsecond=0)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def credentials_json(self, token_name):
        return json.dumps({"Code": "Success", "AccessKeyId": key_id, "SecretAccessKey": secret,
                           "Token": token_name, "AccountId": ACCOUNT,
                           "Expiration": expiry().strftime("%Y-%m-%dT%H:%M:%SZ")})

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
            count("imds token")
            return self.answer(200, IMDS_TOKEN, "text/plain")
        return self.answer(400, "bad request", "text/plain")

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/_stats":
            with lock:
                return self.answer(200, json.dumps(counts))
        if url.path == "/_expiry":
            global fixed_expiry
            fixed_expiry = int(urllib.parse.parse_qs(url.query)["at"][0])
            return self.answer(200, "{}")
        if url.path.startswith("/latest/meta-data/iam/security-credentials/"):
            if self.headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self.answer(401, "", "text/plain")  # IMDSv1 is refused, as on an IMDSv2-only instance
            role = url.path[len("/latest/meta-data/iam/security-credentials/"):]
            if not role:
                count("imds role")
                return self.answer(200, "crowd-instance-role", "text/plain")
            count("imds credentials")
            return self.answer(200, self.credentials_json("imds-session"))
        if url.path in ("/ecs/credentials", "/eks/credentials"):
            if self.headers.get("Authorization") != CONTAINER_TOKEN:
                return self.answer(403, json.dumps({"code": "AccessDenied", "message": "bad token"}))
            count(url.path[1:4] + " credentials")
            return self.answer(200, self.credentials_json(url.path[1:4] + "-session"))
        if url.path == "/sso/federation/credentials":
            query = urllib.parse.parse_qs(url.query)
            if self.headers.get("x-amz-sso_bearer_token") != SSO_TOKEN or query.get("account_id") != [ACCOUNT]:
                return self.answer(401, json.dumps({"message": "Session token not found or invalid"}))
            count("sso credentials")
            ms = int(expiry().timestamp() * 1000)
            return self.answer(200, json.dumps({"roleCredentials": {
                "accessKeyId": key_id, "secretAccessKey": secret, "sessionToken": "sso-session", "expiration": ms}}))
        return self.answer(404, "not found", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode()
        if urllib.parse.urlparse(self.path).path == "/oidc/token":  # SSO-OIDC CreateToken: a refresh
            asked = json.loads(raw)
            if asked != {"grantType": "refresh_token", "clientId": "client-1", "clientSecret": "client-secret",
                         "refreshToken": "refresh-1"}:
                return self.answer(400, json.dumps({"error": "invalid_grant"}))
            count("oidc refresh")
            return self.answer(200, json.dumps({"accessToken": SSO_TOKEN, "expiresIn": 28800,
                                                "refreshToken": "refresh-2", "tokenType": "Bearer"}))
        form = urllib.parse.parse_qs(raw)
        action = form.get("Action", [""])[0]
        if urllib.parse.urlparse(self.path).path.rstrip("/") != "/sts" or action not in ("AssumeRole", "AssumeRoleWithWebIdentity"):
            return self.answer(400, "bad request", "text/plain")
        if action == "AssumeRole" and not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
            return self.answer(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not signed</Message>"
                                    "</Error></ErrorResponse>", "text/xml")
        if action == "AssumeRoleWithWebIdentity" and form.get("WebIdentityToken") != ["web-identity-token"]:
            return self.answer(400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>No OpenIDConnect "
                                    "provider found</Message></Error></ErrorResponse>", "text/xml")
        if "SerialNumber" in form:  # a role that wants MFA: the device's code is 123456
            if form.get("TokenCode") != ["123456"]:
                return self.answer(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>MultiFactorAuthentication "
                                        "failed with invalid MFA one time pass code.</Message></Error></ErrorResponse>",
                                   "text/xml")
            count("sts AssumeRole with MFA " + form["SerialNumber"][0])
        count("sts " + action)
        role = form.get("RoleArn", [""])[0].split("/")[-1]
        body = (f"<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>"
                f"<AssumedRoleUser><Arn>arn:aws:sts::{ACCOUNT}:assumed-role/{role}/session</Arn></AssumedRoleUser>"
                f"<Credentials><AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
                f"<SessionToken>sts-session</SessionToken>"
                f"<Expiration>{expiry().strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration></Credentials>"
                f"</{action}Result></{action}Response>")
        return self.answer(200, body, "text/xml")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
