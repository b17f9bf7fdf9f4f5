#!/usr/bin/env python3
"""A Shelf webhook receiver in Python, standard library only.

It verifies Shelf-Signature (HMAC-SHA256 of "t.body", constant-time
comparison, 5-minute tolerance, the old and the new secret during a
rotation), skips event ids it has already processed, and answers Shelf's
self-test: 2xx to signed deliveries, 401 to forged or stale ones, and 200 on
GET for the launch URL.

    SHELF_WEBHOOK_SECRET=whsec_... python3 receiver.py 127.0.0.1:9000
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300  # seconds a signature's timestamp may be from now
SECRETS = [s for s in (os.environ.get("SHELF_WEBHOOK_SECRET", ""), os.environ.get("SHELF_WEBHOOK_SECRET_OLD", "")) if s]
seen = set()  # processed event ids: keep them in your database, in the same transaction as the effect


def verify(header, body, now=None):
    """True when one v1 signature of header matches body under a secret, in time."""
    ts, sigs = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            ts = int(value)
        elif key == "v1":
            sigs.append(value)
    if ts is None or not sigs:
        return False
    if abs((now if now is not None else time.time()) - ts) > TOLERANCE:
        return False
    for secret in SECRETS:
        want = hmac.new(secret.encode(), str(ts).encode() + b"." + body, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(want, got) for got in sigs):
            return True
    return False


class Receiver(BaseHTTPRequestHandler):
    def do_GET(self):
        self.answer(200, "ok")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify(self.headers.get("Shelf-Signature", ""), body):
            self.answer(401, "bad signature")
            return
        event = json.loads(body)
        if event["id"] in seen:
            self.answer(200, "already processed")
            return
        seen.add(event["id"])
        print(f"{event['org_id']} #{event['seq']} {event['type']} {event['id']}", flush=True)
        self.answer(200, "ok")

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if not SECRETS:
        sys.exit("set SHELF_WEBHOOK_SECRET")
    host, _, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9000").rpartition(":")
    print(f"listening on http://{host}:{port}", flush=True)
    ThreadingHTTPServer((host, int(port)), Receiver).serve_forever()
