#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/): a few inputs each,
valid and nearly valid, taken from the reference data in tests/data where there is some.
Run it again after changing a target's input format; the files it writes are committed."""
import json
import pathlib
import shutil

here = pathlib.Path(__file__).resolve().parent
data = here.parent / "data"
corpus = here / "corpus"
SEP = "\n~~\n"


def write(target, name, text):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode() if isinstance(text, str) else text)


def fields(*parts):
    return SEP.join(parts)


for target in list(corpus.iterdir()) if corpus.exists() else []:
    shutil.rmtree(target)

# task_document: the first byte picks the function (0-12 typed, 13 untyped).
sentiment_done = {"taskName": "t1", "state": "completed", "input": {"text": "I love it"},
                  "result": {"sentiment": {"label": "POSITIVE", "score": 0.9}}}
write("task_document", "sentiment-completed", b"\x00" + json.dumps(sentiment_done).encode())
write("task_document", "sentiment-processing", b"\x00" + json.dumps(
    {"taskName": "t2", "state": "processing", "input": {"text": "meh"}}).encode())
write("task_document", "failed", b"\x01" + json.dumps(
    {"taskName": "t3", "state": "failed", "input": {"text": "x"},
     "problemDetails": {"code": "Expired", "message": "no worker"}}).encode())
write("task_document", "bounding-box", b"\x09" + json.dumps(
    {"taskName": "box", "state": "completed",
     "input": {"imageUrl": "https://example.com/a.png", "objectDescription": "cat"},
     "result": {"boundingBoxes": [{"left": 1, "top": 2, "width": 3, "height": 4}]}}).encode())
write("task_document", "untyped", b"\x0d" + json.dumps(
    {"taskName": "u", "state": "completed", "input": {"anything": [1, 2]}, "result": {"x": None}}).encode())
write("task_document", "not-json", b"\x05{\"taskName\": ")

# names: task names and account ids.
for i, text in enumerate(["my-task_1.a", "123456789012", "a" * 64, "a..b", "", "12345678901a"]):
    write("names", f"name-{i}", text)

# process_output: credential_process's JSON.
write("process_output", "full", json.dumps({"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "s" * 24,
                                            "SessionToken": "t", "Expiration": "2030-01-02T03:04:05Z",
                                            "AccountId": "123456789012"}))
write("process_output", "version-2", json.dumps({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}))
write("process_output", "bad-expiry", json.dumps({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s",
                                                  "Expiration": "soon"}))

# batch_line: the line, the default function, "test".
write("batch_line", "typed", fields(json.dumps({"taskName": "t1", "input": {"text": "good"}}), "SentimentAnalysis", ""))
write("batch_line", "named-function", fields(json.dumps(
    {"taskName": "t2", "function": "ImageContains", "input": {"imageUrl": "https://e.com/a.png", "objectDescription": "dog"}}),
    "", "test"))
write("batch_line", "unknown-key", fields(json.dumps({"taskName": "t3", "input": {"txt": "x"}}), "SentimentAnalysis", ""))

# sigv4_canonical: method, target, headers, body, region, service, "token".
methods = {"GET": "\x00", "PUT": "\x01", "DELETE": "\x02", "POST": "\x03"}
for case in sorted((data / "crowd-sigv4").iterdir())[:6]:
    request = (case / "request.txt").read_text()
    head, _, body = request.partition("\n\n")
    lines = head.split("\n")
    method, target, _ = lines[0].split(" ", 2)
    write("sigv4_canonical", case.name, fields(methods.get(method, "\x00"), target, "\n".join(lines[1:]), body,
                                               "us-east-1", "crowd", "token" if "token" in case.name else ""))
suite = data / "sigv4-suite" / "botocore" / "aws4_testsuite"
for case in sorted(p for p in suite.iterdir() if p.is_dir())[:8]:
    req = next(case.glob("*.req"), None)
    if req is None:
        continue
    head, _, body = req.read_text().partition("\n\n")
    lines = head.split("\n")
    method, target, _ = lines[0].split(" ", 2)
    write("sigv4_canonical", case.name, fields(methods.get(method, "\x00"), target, "\n".join(lines[1:]), body,
                                               "us-east-1", "service", ""))

# profile_files: config, credentials, the selected profile.
tests = json.loads((data / "aws-profile-files" / "profile-parser-tests.json").read_text())["tests"]
for i, test in enumerate(tests[:24]):
    given = test["input"]
    write("profile_files", f"parser-{i:02}", fields(given.get("configFile", ""), given.get("credentialsFile", ""), "default"))
write("profile_files", "role-chain", fields(
    "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\n"
    "[profile b]\naws_access_key_id = AKID\naws_secret_access_key = s\n"
    "[profile s]\nsso_session = x\nsso_account_id = 123456789012\nsso_role_name = r\n"
    "[sso-session x]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
    "[services svc]\nsts =\n  endpoint_url = http://127.0.0.1:1\n", "", "a"))

# provider_answers: answers in turn ("STATUS\nbody").
creds = {"AccessKeyId": "ASIA", "SecretAccessKey": "s" * 24, "Token": "t", "Expiration": "2030-01-01T00:00:00Z",
         "AccountId": "123456789012", "Code": "Success"}
sts_ok = ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId>"
          "<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>"
          "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>"
          "<Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>")
sso_ok = json.dumps({"roleCredentials": {"accessKeyId": "ASIA", "secretAccessKey": "s", "sessionToken": "t",
                                         "expiration": 1893456000000}})
write("provider_answers", "imds", fields("200\nimds-token", "200\nrole-name", "200\n" + json.dumps(creds)))
write("provider_answers", "container", fields("200\n" + json.dumps(creds)))
write("provider_answers", "sts", fields("200\n" + sts_ok))
write("provider_answers", "sts-refused", fields("403\n<ErrorResponse><Error><Code>AccessDenied</Code>"
                                                "<Message>no</Message></Error></ErrorResponse>"))
write("provider_answers", "sso", fields("200\n" + sso_ok))
write("provider_answers", "retries", fields("503\n", "x", "429\n", "200\n" + json.dumps(creds)))

# urls: URL, region, NO_PROXY, host, port, proxy URL.
write("urls", "plain", fields("https://crowd.us-east-1.amazonaws.com", "us-east-1", "", "crowd.example", "443", ""))
write("urls", "emulator", fields("http://127.0.0.1:8080/prefix", "eu-west-1", "localhost,.internal:8443,10.0.0.0/8",
                                 "a.internal", "8443", "http://user:password-long@proxy:3128"))
write("urls", "ipv6", fields("https://[::1]:9443", "us-east-1", "fd00::/8,*", "::1", "9443", "http://[::1]:8080"))

# http_response: the first byte is where the bytes are cut in two.
body = json.dumps(sentiment_done)
write("http_response", "task", b"\x20" + (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                          f"x-amzn-RequestId: r-1\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
write("http_response", "chunked", b"\x10" + (b"HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n"
                                             b"x-amzn-ErrorType: ThrottlingException:http://x\r\n"
                                             b"Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"
                                             b"12\r\n{\"message\":\"slow\"}\r\n0\r\n\r\n"))
write("http_response", "eof-body", b"\x05" + b"HTTP/1.0 500 Oops\r\n\r\n{\"message\": \"internal\"}")

# emulator_requests: four fields a request (method, target, body, header lines).
task = "/123456789012/functions/SentimentAnalysis-test/tasks/"
write("emulator_requests", "put-get-delete", fields(
    "\x01", task + "t1", json.dumps({"input": {"text": "nice"}}), "Content-Type:application/json",
    "\x00", task + "t1", "", "",
    "\x02", task + "t1", "", ""))
write("emulator_requests", "unsigned-and-bad", fields(
    "\x01u", task + "t2", "{}", "Authorization:AWS4-HMAC-SHA256 Credential=x/20261205/us-east-1/crowd/aws4_request",
    "\x00", "/nope", "", "",
    "\x01", "/123456789012/functions/ImageContains/tasks/t3", json.dumps({"input": {"imageUrl": "x"}}), ""))

# emulator_state: a saved state and a journal.
entry = {"account": "123456789012", "function": "SentimentAnalysis", "taskName": "t1",
         "input": {"text": "nice"}, "createdMs": 1795000000000, "state": "completed",
         "result": {"sentiment": {"label": "POSITIVE", "score": 1}}}
write("emulator_state", "saved", json.dumps({"version": 1, "tasks": [entry]}))
write("emulator_state", "journal", "\n".join([json.dumps({"version": 2}), json.dumps({"task": entry}),
                                              json.dumps({"removed": {k: entry[k] for k in ("account", "function", "taskName")}}),
                                              '{"task": {"acc']))
