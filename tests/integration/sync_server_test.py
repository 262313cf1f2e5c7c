#!/usr/bin/env python3
"""Integration tests of outbound sync (src/sync, `vntrace sync`): two real vntrace servers on
loopback, the first delivering every event it stores to the second's EPCIS 2.0 capture interface;
the receiver killed mid-stream and started again, the sender killed mid-stream and started again;
then a receiver that answers 500 and is slow, written here, which must still get every event once
and in order. Also: an error declaration made after delivery travels, and the status shows the
failures.

Usage: VNTRACE_BIN=build/asan/vntrace python3 tests/integration/sync_server_test.py
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

from harness import BIN, Server, create_key, document

TOTAL = 1200
PER_DOC = 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def event(i, event_id=None):
    return {
        "type": "ObjectEvent",
        "eventID": event_id or f"urn:uuid:{uuid.UUID(int=i + 1)}",
        "eventTime": f"2026-11-20T08:{(i // 60) % 60:02d}:{i % 60:02d}.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{i}"],
        "action": "OBSERVE",
        "bizStep": "shipping",
    }


def sync_cli(*args):
    return subprocess.run([BIN, "sync", *args], capture_output=True, text=True, timeout=60)


def event_ids(server, key):
    """Every eventID the server returns for GET /epcis/events, following the pages."""
    ids = []
    path = "/epcis/events?perPage=500"
    while path:
        status, headers, body = server.request("GET", path, key=key)
        assert status == 200, (status, body[:300])
        ids += [e["eventID"] for e in json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]
        link = headers.get("Link", "")
        path = None
        if 'rel="next"' in link:
            path = link[link.index("<") + 1:link.index(">")]
            if path.startswith("http"):
                path = "/" + path.split("/", 3)[3]
    return ids


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class SyncBetweenServers(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vntrace-sync-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop(signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, db, port=0):
        s = Server(os.path.join(self.dir, db)).start(port)
        self.servers.append(s)
        return s

    def test_delivers_everything_once_across_kills_of_both_servers(self):
        b_db = os.path.join(self.dir, "b.db")
        b_port = free_port()
        b = self.start("b.db", b_port)
        b_key = create_key(b_db)
        a = self.start("a.db")
        a_db = a.db
        a_key = create_key(a_db)
        added = sync_cli("add", "--db", a_db, "--id", "tinh-b", "--name", "Kho dữ liệu tỉnh B",
                         "--url", f"http://127.0.0.1:{b_port}/epcis",
                         "--authorization", f"Bearer {b_key}", "--national-portal")
        self.assertEqual(added.returncode, 0, added.stderr)
        # A bad URL is refused with a precise message, nothing stored.
        bad = sync_cli("add", "--db", a_db, "--id", "x", "--url", "ftp://x/epcis")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("http:// or https://", bad.stderr)

        sent = []
        for d in range(TOTAL // PER_DOC):
            events = [event(d * PER_DOC + i) for i in range(PER_DOC)]
            sent += [e["eventID"] for e in events]
            status, _, body = a.request("POST", "/epcis/capture", document(events), key=a_key)
            self.assertEqual(status, 202, body)
            if d == 2:
                # The receiver dies mid-stream; the sender keeps capturing and failing.
                b.stop(signal.SIGKILL)
                self.servers.remove(b)
            if d == 5:
                wait_for(lambda: "failures 0" not in sync_cli("list", "--db", a_db).stdout, 30,
                         "the sender to record failures")
                listed = sync_cli("list", "--db", a_db).stdout
                self.assertIn("tinh-b", listed)
                self.assertIn("last error", listed)
                self.assertNotIn(b_key, listed)  # the secret is never shown
                b = self.start("b.db", b_port)
            if d == 8:
                # The sender dies mid-stream and comes back on the same database.
                a.stop(signal.SIGKILL)
                self.servers.remove(a)
                a = self.start("a.db")

        wait_for(lambda: len(event_ids(b, b_key)) >= TOTAL, 120, "every event at the receiver")
        got = event_ids(b, b_key)
        self.assertEqual(len(got), len(set(got)), "an event stored twice")
        self.assertEqual(sorted(got), sorted(sent))
        self.assertEqual(got, sent, "the receiver stored the events in capture order")

        # An error declaration made after delivery reaches the receiver.
        declared = event(7, sent[7])
        declared["errorDeclaration"] = {"declarationTime": "2026-11-21T08:00:00.000+07:00",
                                        "reason": "incorrect_data"}
        status, _, body = a.request("POST", "/epcis/capture", document([declared]), key=a_key)
        self.assertEqual(status, 202, body)

        def declared_at_b():
            st, _, b_body = b.request("GET", "/epcis/events/" + sent[7].replace(":", "%3A"),
                                      key=b_key)
            return st == 200 and b"errorDeclaration" in b_body
        wait_for(declared_at_b, 30, "the declaration at the receiver")

        listed = sync_cli("list", "--db", a_db).stdout
        self.assertIn("backlog 0", listed)
        self.assertIn("failures 0", listed)


class FlakyReceiver(http.server.BaseHTTPRequestHandler):
    """An EPCIS capture interface that answers 500 to every third document, sleeps on some, and
    records the eventIDs of the documents it accepts."""
    accepted = []
    posts = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with FlakyReceiver.lock:
            FlakyReceiver.posts += 1
            n = FlakyReceiver.posts
        if self.headers.get("Authorization") != "Bearer flaky":
            self.send_response(401)
            self.end_headers()
            return
        if n % 3 == 1:
            self.send_response(500)
            self.send_header("Content-Type", "application/problem+json")
            self.end_headers()
            self.wfile.write(b'{"title":"try later"}')
            return
        if n % 4 == 0:
            time.sleep(1.5)
        doc = json.loads(body)
        assert doc["type"] == "EPCISDocument", doc
        with FlakyReceiver.lock:
            FlakyReceiver.accepted.append([e["eventID"] for e in doc["epcisBody"]["eventList"]])
        self.send_response(202)
        self.send_header("Location", f"/epcis/capture/{n}")
        self.end_headers()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"running":false,"success":true,"errors":[]}')


class SyncToAFlakyReceiver(unittest.TestCase):
    def test_retries_500s_and_slow_answers_without_gaps_or_repeats(self):
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyReceiver)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        directory = tempfile.mkdtemp(prefix="vntrace-sync-flaky-")
        a = Server(os.path.join(directory, "a.db")).start()
        try:
            key = create_key(a.db)
            sent = []
            for d in range(3):
                events = [event(10000 + d * PER_DOC + i) for i in range(PER_DOC)]
                sent += [e["eventID"] for e in events]
                status, _, body = a.request("POST", "/epcis/capture", document(events), key=key)
                self.assertEqual(status, 202, body)
            added = sync_cli("add", "--db", a.db, "--id", "flaky", "--url",
                             f"http://127.0.0.1:{httpd.server_address[1]}/epcis",
                             "--authorization", "Bearer flaky")
            self.assertEqual(added.returncode, 0, added.stderr)

            def delivered():
                with FlakyReceiver.lock:
                    return sum(len(b) for b in FlakyReceiver.accepted) >= len(sent)
            wait_for(delivered, 120, "every event at the flaky receiver")
            with FlakyReceiver.lock:
                flat = [i for batch in FlakyReceiver.accepted for i in batch]
                posts = FlakyReceiver.posts
            self.assertEqual(flat, sent, "each event once, in order")
            self.assertGreaterEqual(posts, 2)  # the first answer was a 500
        finally:
            a.stop()
            httpd.shutdown()
            httpd.server_close()
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
