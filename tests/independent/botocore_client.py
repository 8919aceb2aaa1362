#!/usr/bin/python3
# A client this project did not write: requests signed by Debian's botocore
# (botocore.auth.SigV4Auth) get the documented statuses from crowd-emulator, and a
# request whose body was changed after signing gets 403.
# Usage: botocore_client.py URL
import json
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url = sys.argv[1]
base = "/123456789012/functions/sentiment-analysis/tasks/"
# The emulator's tasks of real functions process for an hour and those of -test twins
# finish at once: each check sees the state it needs, however loaded the machine.
test_base = "/123456789012/functions/sentiment-analysis-test/tasks/"
credentials = Credentials("AKIDCROWDEMULATOR", "crowd-emulator-secret")
failures = 0
checks = 0


def send(method, path, body=None, tamper=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    data = json.dumps(body).encode() if body is not None else None
    request = AWSRequest(method=method, url=url + path, data=data, headers=headers)
    SigV4Auth(credentials, "crowd", "us-east-1").add_auth(request)
    sent = urllib.request.Request(url + path, data=tamper if tamper is not None else data, method=method,
                                  headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(sent) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def expect(what, status, wanted):
    global failures, checks
    checks += 1
    if status != wanted:
        failures += 1
        print(f"FAILED: {what}: status {status}, expected {wanted}")
    else:
        print(f"ok: {what}: {status}")


def expect_in(what, text, body):
    """The body says why: a 403 for one reason is not a 403 for another."""
    global failures, checks
    checks += 1
    if text.encode() not in body:
        failures += 1
        print(f"FAILED: {what}: no {text!r} in {body!r}")
    else:
        print(f"ok: {what}: {text}")


status, _ = send("PUT", base + "boto-1", {"input": {"text": "Everything is wonderful."}})
expect("PUT creates", status, 201)
status, _ = send("PUT", base + "boto-1", {"input": {"text": "Everything is wonderful."}})
expect("PUT again, same input", status, 200)
status, _ = send("PUT", base + "boto-1", {"input": {"text": "Another input"}})
expect("PUT again, another input", status, 400)
status, _ = send("DELETE", base + "boto-1")
expect("DELETE while processing", status, 409)
status, _ = send("PUT", test_base + "boto-1", {"input": {"text": "Everything is wonderful."}})
expect("PUT of a -test task", status, 201)
status, body = send("GET", test_base + "boto-1")
expect("GET", status, 200)
checks += 1
if json.loads(body)["state"] != "completed":
    failures += 1
    print("FAILED: the -test task is not completed")
status, _ = send("DELETE", test_base + "boto-1")
expect("DELETE", status, 204)
status, _ = send("GET", test_base + "boto-1")
expect("GET after DELETE", status, 404)
status, _ = send("PUT", "/123456789012/functions/no-such-function/tasks/boto-2", {"input": {"text": "x"}})
expect("PUT to an unknown function", status, 404)
status, body = send("PUT", base + "boto-3", {"input": {"text": "signed"}}, tamper=b'{"input": {"text": "changed"}}')
expect("a body changed after signing", status, 403)
expect_in("refused for its signature", "signature we calculated does not match", body)

print(f"botocore: {checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
