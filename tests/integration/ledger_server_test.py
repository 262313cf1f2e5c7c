#!/usr/bin/env python3
"""Integration tests of the tamper-evident log (docs/ledger.md): the real server's tree heads,
proofs and witness endpoints, checked here with an independent RFC 6962 implementation and
Ed25519 (python3-cryptography); `vntrace verify` against the real server, including a forked log
and a database tampered with sqlite3; `vntrace log witness` between two servers; the scan page's
"history verified".

Usage: VNTRACE_BIN=build/asan/vntrace python3 tests/integration/ledger_server_test.py
"""
import base64
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import BIN, Server, create_key, document

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # python3-cryptography (scripts/install-deps.sh)
    Ed25519PublicKey = None

GTIN = "08935001200017"
ELSEWHERE = "https://id.gs1.org/414/8935001200000"


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(data):
    return sha256(b"\x00" + data)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 §2.1.3.2, written here independently of the server."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 §2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if first == 0 or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def tree_head_bytes(sth):
    """RFC 6962 §3.5 TreeHeadSignature: v1, tree_hash, timestamp, tree_size, root."""
    return struct.pack(">BBQQ", 0, 1, sth["timestamp"], sth["tree_size"]) + \
        base64.b64decode(sth["root_hash"], validate=True)


def event(serial, step, when, event_id=None):
    e = {"type": "ObjectEvent", "eventTime": when, "eventTimeZoneOffset": "+07:00",
         "epcList": [f"https://id.gs1.org/01/{GTIN}/21/{serial}"], "action": "OBSERVE",
         "bizStep": step, "readPoint": {"id": ELSEWHERE}}
    if event_id:
        e["eventID"] = event_id
    return e


def hash_ids(doc, tmp):
    """The CBV 2.0 hash IDs of a document's events, from `vntrace epcis hash`."""
    path = os.path.join(tmp, "hash-input.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    out = subprocess.run([BIN, "epcis", "hash", path], check=True, capture_output=True,
                         text=True).stdout
    return out.split()


def run(*args, check=False):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, check=check)


class LogServer:
    """A server with an API key and helpers for the log's endpoints."""

    def __init__(self, tmp, name, db=None):
        self.db = db or os.path.join(tmp, f"{name}.db")
        self.key = create_key(self.db)
        self.server = Server(self.db).start()
        self.url = f"http://127.0.0.1:{self.server.port}"

    def get(self, path, key=False):
        return self.server.request("GET", path, key=self.key if key else None)

    def get_json(self, path, key=False):
        status, headers, body = self.get(path, key)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def capture(self, events):
        status, headers, body = self.server.request("POST", "/epcis/capture", document(events),
                                                    key=self.key)
        assert status == 202, body
        location = headers["Location"]
        for _ in range(200):
            job = json.loads(self.server.request("GET", location, key=self.key)[2])
            if not job.get("running", False):
                assert job.get("success", False), job
                return
            time.sleep(0.05)
        raise AssertionError("the capture did not finish")

    def sth(self):
        return self.get_json("/api/v1/log/sth")

    def fresh_sth(self, at_least):
        """A tree head of at least `at_least` leaves (a grown log is signed again after 1 s)."""
        for _ in range(100):
            sth = self.sth()
            if sth["tree_size"] >= at_least:
                return sth
            time.sleep(0.2)
        raise AssertionError(f"no tree head of {at_least} leaves")

    def stop(self):
        self.server.stop()


class LedgerServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = LogServer(cls.tmp.name, "a")
        cls.doc = document([
            event(1001, "commissioning", "2026-11-20T08:00:00.000+07:00"),
            event(1001, "packing", "2026-11-20T09:00:00.000+07:00",
                  "urn:uuid:3c1e4a8e-2a1b-4c5d-9e6f-000000000001"),
            event(1001, "shipping", "2026-11-20T10:00:00.000+07:00"),
            event(1002, "commissioning", "2026-11-20T08:30:00.000+07:00"),
        ])
        cls.hashes = hash_ids(cls.doc, cls.tmp.name)
        cls.a.capture(cls.doc["epcisBody"]["eventList"])
        cls.ids = [e.get("eventID", h) for e, h in zip(cls.doc["epcisBody"]["eventList"],
                                                      cls.hashes)]

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.tmp.cleanup()

    def public_key(self):
        return base64.b64decode(self.a.get_json("/api/v1/log/key")["public_key"], validate=True)

    def test_signed_tree_head(self):
        status, headers, body = self.a.get("/api/v1/log/sth")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")
        sth = json.loads(body)
        self.assertEqual(set(sth), {"tree_size", "timestamp", "root_hash", "signature"})
        self.assertGreaterEqual(sth["tree_size"], 4)
        self.assertLess(abs(sth["timestamp"] / 1000 - time.time()), 61)
        key = self.public_key()
        self.assertEqual(len(key), 32)
        if Ed25519PublicKey is None:
            self.skipTest("python3-cryptography is not installed: signature not checked here")
        Ed25519PublicKey.from_public_bytes(key).verify(
            base64.b64decode(sth["signature"], validate=True), tree_head_bytes(sth))
        forged = dict(sth, tree_size=sth["tree_size"] + 1)
        with self.assertRaises(InvalidSignature):
            Ed25519PublicKey.from_public_bytes(key).verify(
                base64.b64decode(sth["signature"]), tree_head_bytes(forged))

    def test_every_event_is_proved_in_the_head(self):
        sth = self.a.fresh_sth(4)
        root = base64.b64decode(sth["root_hash"])
        indexes = []
        for event_id, hash_id in zip(self.ids, self.hashes):
            query = urllib.parse.urlencode({"eventID": event_id, "tree_size": sth["tree_size"]})
            proof = self.a.get_json("/api/v1/log/proof?" + query)
            self.assertEqual(set(proof), {"leaf_index", "tree_size", "audit_path"})
            self.assertEqual(proof["tree_size"], sth["tree_size"])
            path = [base64.b64decode(h, validate=True) for h in proof["audit_path"]]
            self.assertTrue(verify_inclusion(leaf_hash(hash_id.encode()), proof["leaf_index"],
                                             proof["tree_size"], path, root), event_id)
            self.assertFalse(verify_inclusion(leaf_hash(b"something else"), proof["leaf_index"],
                                              proof["tree_size"], path, root))
            indexes.append(proof["leaf_index"])
        # Acceptance order is leaf order.
        self.assertEqual(indexes, sorted(indexes))
        self.assertEqual(len(set(indexes)), 4)

    def test_consistency_between_heads(self):
        first = self.a.fresh_sth(4)
        self.a.capture([event(1003, "commissioning", "2026-11-21T08:00:00.000+07:00")])
        second = self.a.fresh_sth(first["tree_size"] + 1)
        query = urllib.parse.urlencode({"first": first["tree_size"],
                                        "second": second["tree_size"]})
        proof = [base64.b64decode(h) for h in
                 self.a.get_json("/api/v1/log/consistency?" + query)["consistency"]]
        self.assertTrue(verify_consistency(first["tree_size"], second["tree_size"],
                                           base64.b64decode(first["root_hash"]),
                                           base64.b64decode(second["root_hash"]), proof))
        self.assertFalse(verify_consistency(first["tree_size"], second["tree_size"],
                                            sha256(b"another history"),
                                            base64.b64decode(second["root_hash"]), proof))

    def test_errors_are_problems(self):
        size = self.a.sth()["tree_size"]
        cases = [
            ("/api/v1/log/proof?eventID=urn%3Auuid%3Anothing", 404),
            ("/api/v1/log/proof", 400),
            (f"/api/v1/log/proof?eventID={urllib.parse.quote(self.ids[0])}&tree_size={size + 1}",
             400),
            ("/api/v1/log/proof?eventID=x&tree_size=abc", 400),
            (f"/api/v1/log/consistency?first=2&second={size + 1}", 400),
            ("/api/v1/log/consistency?first=3&second=2", 400),
            ("/api/v1/log/consistency?first=2", 400),
            ("/api/v1/log/witness?public_key=AAAA", 400),
        ]
        for path, expected in cases:
            status, headers, body = self.a.get(path)
            self.assertEqual(status, expected, (path, body))
            self.assertTrue(headers["Content-Type"].startswith("application/problem+json"), path)
            self.assertTrue(json.loads(body)["detail"], path)
        status, headers, body = self.a.server.request("POST", "/api/v1/log/witness", b"{}",
                                                      headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400, body)

    def test_scan_page_says_history_verified(self):
        self.a.fresh_sth(4)
        time.sleep(1.1)  # let any newer leaf (an audit entry, a capture) reach a head
        status, headers, body = self.a.server.request(
            "GET", f"/01/{GTIN}/21/1001", headers={"Accept": "text/html"})
        self.assertEqual(status, 200, body[:500])
        page = body.decode()
        self.assertIn("Lịch sử đã được xác minh", page)
        self.assertIn('href="/log/about?lang=vi"', page)
        self.assertLess(len(body), 30 * 1024)
        status, _, about = self.a.server.request("GET", "/log/about?lang=vi")
        self.assertEqual(status, 200)
        self.assertIn("không bị sửa", about.decode())
        status, _, english = self.a.server.request(
            "GET", f"/01/{GTIN}/21/1001?lang=en", headers={"Accept": "text/html"})
        self.assertIn("History verified", english.decode())

    def test_verify_command(self):
        state = os.path.join(self.tmp.name, "verify-state.json")
        result = run("verify", self.a.url, "--api-key", self.a.key, "--state", state)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("OK: the log of", result.stdout)
        self.assertIn("signature OK", result.stdout)
        self.assertRegex(result.stdout, r"[1-9][0-9]* inclusion proof")
        # Later, from the saved head: the log only grew.
        self.a.capture([event(1004, "commissioning", "2026-11-22T08:00:00.000+07:00")])
        result = run("verify", self.a.url, "--api-key", self.a.key, "--state", state,
                     "--rounds", "2", "--interval", "2")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("consistent with the tree head", result.stdout)
        # Without an API key, hash IDs can be proved on their own.
        result = run("verify", self.a.url, "--event", self.hashes[0])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("1 inclusion proof", result.stdout)
        result = run("verify", self.a.url, "--event", "urn:uuid:not-a-hash")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        # With an API key any eventID: its content is read and hashed here.
        result = run("verify", self.a.url, "--api-key", self.a.key, "--max-events", "1",
                     "--event", self.ids[1])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("2 inclusion proof", result.stdout)
        result = run("verify", self.a.url, "--api-key", self.a.key, "--max-events", "1",
                     "--event", "urn:uuid:unknown")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("the server does not have it", result.stdout)


class TamperingTest(unittest.TestCase):
    """Forks and edits of the database are caught by `vntrace verify` and by a witness."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        self.tmp.cleanup()

    def start(self, name, db=None):
        s = LogServer(self.tmp.name, name, db)
        self.servers.append(s)
        return s

    def test_forked_log_is_refused_by_witness_and_verify(self):
        a = self.start("a")
        witness = self.start("witness")
        a.capture([event(1, "commissioning", "2026-11-20T08:00:00.000+07:00"),
                   event(2, "commissioning", "2026-11-20T08:05:00.000+07:00")])
        a.fresh_sth(2)
        # A copy of the log, signed with the same key, that will tell another story.
        fork_db = os.path.join(self.tmp.name, "fork.db")
        source = sqlite3.connect(a.db)
        target = sqlite3.connect(fork_db)
        source.backup(target)
        source.close()
        target.close()
        shutil.copy(a.db + ".log-key", fork_db + ".log-key")

        out = run("log", "witness", "--db", a.db, "--to", witness.url, "--origin", a.url)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("co-signed by", out.stdout)

        a.capture([event(3, "shipping", "2026-11-21T08:00:00.000+07:00")])
        fork = self.start("fork", fork_db)
        fork.capture([event(3, "receiving", "2026-11-21T09:00:00.000+07:00")])
        a_head = a.fresh_sth(3)
        fork_head = fork.fresh_sth(3)
        self.assertEqual(a_head["tree_size"], fork_head["tree_size"])
        self.assertNotEqual(a_head["root_hash"], fork_head["root_hash"])

        # An auditor checks the honest log and keeps its head.
        state = os.path.join(self.tmp.name, "state.json")
        out = run("verify", a.url, "--api-key", a.key, "--state", state)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

        out = run("log", "witness", "--db", a.db, "--to", witness.url)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        out = run("log", "witness", "--db", fork_db, "--to", witness.url)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("REFUSED", out.stdout)
        self.assertIn("409", out.stdout)
        self.assertIn("fork", out.stdout)
        last = witness.get_json("/api/v1/log/witness?public_key=" + urllib.parse.quote(
            a.get_json("/api/v1/log/key")["public_key"]))
        self.assertEqual(last["root_hash"], a_head["root_hash"])

        # The auditor who saw the honest head before sees the fork: same key, not consistent.
        out = run("verify", fork.url, "--state", state)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("MISMATCH consistency", out.stdout)
        out = run("verify", a.url, "--state", state)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_edited_database_is_caught(self):
        a = self.start("a")
        events = [event(10 + i, "commissioning", f"2026-11-20T08:0{i}:00.000+07:00")
                  for i in range(5)]
        a.capture(events)
        a.fresh_sth(5)
        out = run("verify", a.url, "--api-key", a.key)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

        # An event's content edited in place: its hash no longer matches its leaf.
        db = sqlite3.connect(a.db)
        with db:
            db.execute("UPDATE events SET json = replace(json, 'commissioning', 'destroying') "
                       "WHERE id = (SELECT min(id) FROM events)")
        out = run("verify", a.url, "--api-key", a.key)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("MISMATCH event", out.stdout)
        status, _, page = a.server.request("GET", f"/01/{GTIN}/21/10",
                                           headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertNotIn("Lịch sử đã được xác minh", page.decode())
        with db:
            db.execute("UPDATE events SET json = replace(json, 'destroying', 'commissioning')")

        # A leaf edited (past its append-only trigger): the proofs through it fail.
        out = run("verify", a.url, "--api-key", a.key)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        with db:
            db.execute("DROP TRIGGER log_leaves_no_update")
            db.execute("UPDATE log_leaves SET data = 'forged', leaf_hash = zeroblob(32) "
                       "WHERE leaf_index = (SELECT min(leaf_index) FROM log_leaves WHERE kind = 1)")
        db.close()
        out = run("verify", a.url, "--api-key", a.key)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("does not lead to the root", out.stdout)


if __name__ == "__main__":
    unittest.main()
