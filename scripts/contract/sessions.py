"""Signs in to a running gerbang the way its clients do and prints the
access cookies for the conformance run: `admin=<gerbang_at>` (the demo super
admin, password login) and `resident=<gerbang_at>` (the demo resident, a
WhatsApp code read from the sandbox's fake inbox). Standard library only.

Usage: sessions.py API_URL SANDBOX_URL
"""

import json
import re
import sys
import time
import urllib.request

API, SANDBOX = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
PHONE = "081200000001"


def post(url, body, headers=None):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Requested-With": "fetch", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp, json.loads(resp.read() or b"null")


def get(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def access_cookie(resp):
    for header in resp.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == "gerbang_at":
            return rest.split(";", 1)[0]
    raise SystemExit("no gerbang_at cookie in the login answer")


def admin():
    resp, _ = post(f"{API}/admin/auth/login", {"username": "admin", "password": "gerbang-demo"})
    return access_cookie(resp)


def resident():
    target = "62" + PHONE[1:]
    inbox = f"{SANDBOX}/_sandbox/whatsapp/messages?target={target}"
    seen = len(get(inbox))
    _, token = post(f"{SANDBOX}/_sandbox/turnstile/token", {"hostname": "portal.test", "action": "otp_request"})
    post(f"{API}/auth/otp/request", {"phone": PHONE, "turnstile_token": token["token"]})
    for _ in range(100):
        messages = get(inbox)[seen:]
        match = re.search(r"\b\d{6}\b", " ".join(m["message"] for m in messages))
        if match:
            resp, _ = post(f"{API}/auth/otp/verify", {"phone": PHONE, "code": match.group(0)})
            return access_cookie(resp)
        time.sleep(0.1)
    raise SystemExit("no WhatsApp code arrived for the demo resident")


print(f"admin={admin()}")
print(f"resident={resident()}")
