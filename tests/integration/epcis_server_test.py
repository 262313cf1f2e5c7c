#!/usr/bin/env python3
"""Integration tests: the real `vntrace serve` on a free loopback port, spoken to over HTTP.

Usage: VNTRACE_BIN=build/asan/vntrace python3 tests/integration/epcis_server_test.py
GS1's examples are read from ../shared/conformance; tests that need them skip with a message
when it is absent.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("VNTRACE_BIN", os.path.join(ROOT, "build", "release", "vntrace"))
SHARED = os.environ.get("VNTRACE_SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared"))
CONFORMANCE = os.path.join(SHARED, "conformance")
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def object_event(epc, event_time="2026-11-20T08:00:00.000+07:00", **extra):
    event = {
        "type": "ObjectEvent",
        "eventTime": event_time,
        "eventTimeZoneOffset": event_time[-6:] if event_time[-6] in "+-" else "+00:00",
        "epcList": [epc],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "urn:epc:id:sgln:8935001.00000.0"},
    }
    event.update(extra)
    return event


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

    def start(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
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


def create_key(db):
    out = subprocess.run([BIN, "apikey", "create", "--db", db, "--label", "test"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


class EpcisServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "test.db")
        cls.key = create_key(cls.db)
        cls.server = Server(cls.db).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def request(self, method, path, body=None, headers=None, key=True):
        url = f"http://127.0.0.1:{self.server.port}{path}"
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/ld+json")
        if key:
            hdrs["Authorization"] = f"Bearer {self.key}"
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def capture(self, events):
        status, headers, body = self.request("POST", "/epcis/capture", document(events))
        self.assertEqual(status, 202, body)
        return headers["Location"]

    def query(self, params):
        status, headers, body = self.request("GET", "/epcis/events?" + urllib.parse.urlencode(params))
        self.assertEqual(status, 200, body)
        doc = json.loads(body)
        return doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"], headers

    def test_healthz(self):
        status, _, body = self.request("GET", "/healthz", key=False)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")

    def test_requires_api_key(self):
        status, headers, body = self.request("GET", "/epcis/events", key=False)
        self.assertEqual(status, 401)
        self.assertTrue(headers["Content-Type"].startswith("application/problem+json"))
        self.assertIn("SecurityException", json.loads(body)["type"])
        status, _, _ = self.request("GET", "/epcis/events", key=False,
                                    headers={"Authorization": "Bearer vk_0000000000000000_" + "A" * 43})
        self.assertEqual(status, 401)

    def test_capture_then_query_by_urn_and_digital_link(self):
        epc = "urn:epc:id:sgtin:8935001.020001.KQ-TEST-1"
        location = self.capture([object_event(epc)])
        self.assertTrue(location.startswith("/epcis/capture/"))
        status, _, body = self.request("GET", location)
        self.assertEqual(status, 200)
        job = json.loads(body)
        self.assertTrue(job["success"])
        self.assertFalse(job["running"])
        by_urn, _ = self.query({"MATCH_anyEPC": epc})
        self.assertEqual(len(by_urn), 1)
        dl = "https://id.gs1.org/01/08935001200017/21/KQ-TEST-1"
        by_dl, _ = self.query({"MATCH_anyEPC": dl})
        self.assertEqual(by_dl, by_urn)
        event = by_urn[0]
        self.assertTrue(event["eventID"].startswith("ni:///sha-256;"))
        status, _, body = self.request("GET", "/epcis/events/" + urllib.parse.quote(event["eventID"], safe=""))
        self.assertEqual(status, 200, body)
        single = json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        self.assertEqual(single[0]["eventID"], event["eventID"])

    def test_invalid_document_is_refused_and_stores_nothing(self):
        good = object_event("urn:epc:id:sgtin:8935001.020001.INVALID-DOC-1")
        bad = object_event("urn:epc:id:sgtin:8935001.020001.INVALID-DOC-2")
        bad["action"] = "JUMP"
        status, headers, body = self.request("POST", "/epcis/capture", document([good, bad]))
        self.assertEqual(status, 400)
        self.assertTrue(headers["Content-Type"].startswith("application/problem+json"))
        problem = json.loads(body)
        self.assertEqual(problem["type"], "epcisException:ValidationException")
        self.assertIn("action", problem["detail"])
        found, _ = self.query({"MATCH_anyEPC": "urn:epc:id:sgtin:8935001.020001.INVALID-DOC-1"})
        self.assertEqual(found, [])

    def test_capture_is_idempotent_and_single_event_post(self):
        event = object_event("urn:epc:id:sgtin:8935001.020001.IDEMP-1")
        self.capture([event])
        self.capture([event])
        found, _ = self.query({"MATCH_epc": "urn:epc:id:sgtin:8935001.020001.IDEMP-1"})
        self.assertEqual(len(found), 1)
        other = dict(object_event("urn:epc:id:sgtin:8935001.020001.SINGLE-1"), **{"@context": [CONTEXT]})
        status, headers, body = self.request("POST", "/epcis/events", other)
        self.assertEqual(status, 201, body)
        self.assertTrue(headers["Location"].startswith("/epcis/events/"))
        status, _, body = self.request("POST", "/epcis/events", other)
        self.assertEqual(status, 409)
        self.assertIn("ResourceAlreadyExistsException", json.loads(body)["type"])

    def test_pagination_with_link_header(self):
        events = [object_event(f"urn:epc:id:sgtin:8935001.020001.PAGE-{i}",
                               event_time=f"2026-11-2{i}T08:00:00.000+07:00") for i in range(5)]
        self.capture(events)
        seen = []
        params = {"EQ_bizStep": "shipping", "MATCH_epc": "urn:epc:idpat:sgtin:8935001.020001.*",
                  "GE_eventTime": "2026-11-20T00:00:00Z", "perPage": "2"}
        path = "/epcis/events?" + urllib.parse.urlencode(params)
        pages = 0
        while path:
            status, headers, body = self.request("GET", path)
            self.assertEqual(status, 200, body)
            pages += 1
            page = json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            self.assertLessEqual(len(page), 2)
            seen.extend(e["epcList"][0] for e in page)
            link = headers.get("Link")
            path = link[link.index("<") + 1:link.index(">")] if link else None
        page_epcs = [e for e in seen if "PAGE-" in e]
        self.assertEqual(len(page_epcs), 5)
        self.assertEqual(len(set(page_epcs)), 5)
        self.assertGreaterEqual(pages, 3)

    def test_query_parameter_errors(self):
        status, _, body = self.request("GET", "/epcis/events?EQ_nonsense=1")
        self.assertEqual(status, 400)
        self.assertIn("QueryParameterException", json.loads(body)["type"])
        status, _, body = self.request("GET", "/epcis/events?GE_eventTime=yesterday")
        self.assertEqual(status, 400)

    def test_named_queries(self):
        q = {"name": "shipments-test", "query": {"EQ_bizStep": ["shipping"]}}
        status, headers, body = self.request("POST", "/epcis/queries", q, headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201, body)
        status, _, _ = self.request("POST", "/epcis/queries", q)
        self.assertEqual(status, 409)
        status, _, body = self.request("GET", "/epcis/queries/shipments-test")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["name"], "shipments-test")
        self.capture([object_event("urn:epc:id:sgtin:8935001.020001.NAMED-1")])
        status, _, body = self.request("GET", "/epcis/queries/shipments-test/events")
        self.assertEqual(status, 200, body)
        self.assertGreaterEqual(len(json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]), 1)
        status, _, _ = self.request("DELETE", "/epcis/queries/shipments-test")
        self.assertEqual(status, 204)
        status, _, body = self.request("GET", "/epcis/queries/shipments-test")
        self.assertEqual(status, 404)
        self.assertIn("NoSuchResourceException", json.loads(body)["type"])

    def test_top_level_resources_and_options(self):
        self.capture([object_event("urn:epc:id:sgtin:8935001.020001.TOP-1")])
        status, _, body = self.request("GET", "/epcis/bizSteps")
        self.assertEqual(status, 200, body)
        self.assertIn("shipping", json.loads(body)["member"])
        status, _, body = self.request("GET", "/epcis/bizSteps/shipping/events")
        self.assertEqual(status, 200, body)
        status, _, body = self.request("GET", "/epcis/eventTypes")
        self.assertEqual(status, 200)
        self.assertIn("ObjectEvent", json.loads(body)["member"])
        status, headers, _ = self.request("OPTIONS", "/epcis/events")
        self.assertEqual(status, 204)
        self.assertIn("GET", headers["Allow"])
        self.assertEqual(headers.get("GS1-EPCIS-Version"), "2.0.0")

    def test_gs1_examples_capture_and_query_back(self):
        folder = os.path.join(CONFORMANCE, "epcis", "JSON")
        if not os.path.isdir(folder):
            self.skipTest(f"{folder} is absent: GS1 examples NOT checked")
        captured = 0
        for name in ["Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.2-ObjectEvent.jsonld",
                     "Example_9.6.3-AggregationEvent.jsonld", "Example_9.6.4-TransformationEvent.jsonld"]:
            with open(os.path.join(folder, name), "rb") as f:
                body = f.read()
            status, _, text = self.request("POST", "/epcis/capture", body)
            self.assertEqual(status, 202, (name, text))
            captured += 1
        self.assertEqual(captured, 4)
        found, _ = self.query({"eventType": "TransformationEvent"})
        self.assertGreaterEqual(len(found), 1)

    def test_malformed_bodies_never_crash(self):
        bodies = [b"", b"{", b"[]", b"null", b"\xff\xfe\x00", b"{\"type\":\"EPCISDocument\"}",
                  json.dumps({"@context": CONTEXT, "type": "EPCISDocument", "epcisBody": {"eventList": [1, "x", None]}}).encode(),
                  b"{" * 10000, b"\"" + b"a" * 100000, json.dumps(document([{"type": "ObjectEvent"}])).encode()]
        for body in bodies:
            status, _, _ = self.request("POST", "/epcis/capture", body)
            self.assertGreaterEqual(status, 400)
            self.assertLess(status, 500)
        self.assertTrue(self.server.alive())
        # Raw protocol garbage.
        for garbage in [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00" * 100 + b"\r\n\r\n"]:
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
                s.sendall(garbage)
                try:
                    s.recv(1024)
                except OSError:
                    pass
        self.assertTrue(self.server.alive())
        status, _, _ = self.request("GET", "/healthz", key=False)
        self.assertEqual(status, 200)


class DurabilityTest(unittest.TestCase):
    def test_acknowledged_captures_survive_kill_9(self):
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "kill.db")
            key = create_key(db)
            server = Server(db).start()
            acknowledged = []
            stop = threading.Event()

            def stream():
                i = 0
                while not stop.is_set():
                    epc = f"urn:epc:id:sgtin:8935001.020001.KILL-{i}"
                    data = json.dumps(document([object_event(epc)])).encode()
                    req = urllib.request.Request(
                        f"http://127.0.0.1:{server.port}/epcis/capture", data=data, method="POST",
                        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/ld+json"})
                    try:
                        with urllib.request.urlopen(req, timeout=10) as res:
                            if res.status == 202:
                                acknowledged.append(epc)
                    except Exception:
                        return
                    i += 1

            thread = threading.Thread(target=stream)
            thread.start()
            time.sleep(1.5)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            stop.set()
            thread.join()
            server.stop()
            self.assertGreater(len(acknowledged), 5)
            restarted = Server(db).start()
            try:
                for epc in acknowledged:
                    url = f"http://127.0.0.1:{restarted.port}/epcis/events?" + urllib.parse.urlencode({"MATCH_epc": epc})
                    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
                    with urllib.request.urlopen(req, timeout=10) as res:
                        events = json.loads(res.read())["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
                    self.assertEqual(len(events), 1, epc)
            finally:
                restarted.stop()


if __name__ == "__main__":
    if not os.path.exists(BIN):
        print(f"vntrace binary not found at {BIN}", file=sys.stderr)
        sys.exit(2)
    unittest.main(verbosity=1)
