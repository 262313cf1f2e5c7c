"""Shared pieces of the integration tests: the real `vntrace serve` on a free loopback port,
an API key, and an HTTP client that returns (status, headers, body) for every answer.
"""
import json
import os
import signal
import subprocess
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("VNTRACE_BIN", os.path.join(ROOT, "build", "release", "vntrace"))
SHARED = os.environ.get("VNTRACE_SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared"))
CONFORMANCE = os.path.join(SHARED, "conformance")
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def document(events):
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-20T08:00:00.000+07:00",
        "epcisBody": {"eventList": events},
    }


class Server:
    """A vntrace server process on a free port with its own database."""

    def __init__(self, db):
        self.db = db
        self.proc = None
        self.port = None

    def start(self, port=0):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", f"127.0.0.1:{port}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            err = self.proc.stderr.read()
            raise RuntimeError(f"server did not start: {line!r} {err!r}")
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def alive(self):
        return self.proc.poll() is None

    def request(self, method, path, body=None, headers=None, key=None):
        """(status, headers, body bytes); `body` is bytes or JSON-encoded."""
        url = f"http://127.0.0.1:{self.port}{path}"
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/ld+json")
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def create_key(db):
    out = subprocess.run([BIN, "apikey", "create", "--db", db, "--label", "test"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]
