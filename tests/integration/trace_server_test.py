#!/usr/bin/env python3
"""Integration tests of lineage: a chain from `vntrace gen` captured over HTTP into the real
server, then traced and recalled over HTTP and from the command line.

Usage: VNTRACE_BIN=build/asan/vntrace python3 tests/integration/trace_server_test.py
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

from harness import BIN, Server, create_key

NODE_KINDS = {"lot", "item", "container", "location", "party"}
EDGE_KINDS = {"input", "contains", "belongs_to", "shipped", "received", "observed"}


class TraceServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "trace.db")
        cls.key = create_key(cls.db)
        cls.server = Server(cls.db).start()
        out = os.path.join(cls.tmp.name, "chain")
        subprocess.run([BIN, "gen", "--out", out, "--events", "1500", "--seed", "3"],
                       check=True, capture_output=True, text=True)
        cls.documents = sorted(glob.glob(os.path.join(out, "*.json")))
        cls.harvested = []
        cls.made = []
        for path in cls.documents:
            with open(path, "rb") as f:
                body = f.read()
            status, _, answer = cls.server.request("POST", "/epcis/capture", body, key=cls.key)
            if status != 202:
                raise RuntimeError(f"capture of {path} failed: {status} {answer!r}")
            for event in json.loads(body)["epcisBody"]["eventList"]:
                if event.get("type") == "ObjectEvent" and event.get("action") == "ADD":
                    cls.harvested += [q["epcClass"] for q in event.get("quantityList", [])]
                if event.get("type") == "TransformationEvent":
                    cls.made += [q["epcClass"] for q in event.get("outputQuantityList", [])]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def get(self, path, key=True):
        return self.server.request("GET", path, key=self.key if key else None)

    def trace(self, uri, direction):
        query = urllib.parse.urlencode({"id": uri, "direction": direction})
        status, headers, body = self.get("/api/v1/trace?" + query)
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        return json.loads(body)

    def check_graph(self, graph):
        ids = {n["id"] for n in graph["nodes"]}
        self.assertIn(graph["root"], ids)
        self.assertEqual(graph["nodes"][0]["id"], graph["root"])
        for node in graph["nodes"]:
            self.assertIn(node["kind"], NODE_KINDS)
            self.assertTrue(node["label"])
        for edge in graph["edges"]:
            self.assertIn(edge["kind"], EDGE_KINDS)
            self.assertIn(edge["from"], ids)
            self.assertIn(edge["to"], ids)
            self.assertTrue(edge["eventID"])
            self.assertTrue(edge["time"])

    def test_chain_was_generated(self):
        self.assertGreater(len(self.documents), 0)
        self.assertTrue(self.harvested, "the chain has no harvest")
        self.assertTrue(self.made, "the chain has no transformation")

    def test_forward_from_a_harvest_reaches_made_lots_and_parties(self):
        graph = self.trace(self.harvested[0], "forward")
        self.check_graph(graph)
        kinds = {n["kind"] for n in graph["nodes"]}
        self.assertIn("party", kinds)
        self.assertGreater(len(graph["nodes"]), 3)
        self.assertIn("input", {e["kind"] for e in graph["edges"]})

    def test_backward_from_a_made_lot_reaches_its_inputs(self):
        graph = self.trace(self.made[-1], "backward")
        self.check_graph(graph)
        root = graph["root"]
        inputs = [e for e in graph["edges"] if e["kind"] == "input" and e["to"] == root]
        self.assertTrue(inputs, graph)

    def test_both_directions_and_depth(self):
        graph = self.trace(self.harvested[0], "both")
        self.check_graph(graph)
        query = urllib.parse.urlencode({"id": self.harvested[0], "direction": "forward",
                                        "depth": "1"})
        status, _, body = self.get("/api/v1/trace?" + query)
        self.assertEqual(status, 200)
        self.assertTrue(all(n["depth"] <= 1 for n in json.loads(body)["nodes"]))

    def test_bad_parameters_are_problems(self):
        cases = [
            ("/api/v1/trace", "id"),
            ("/api/v1/trace?id=urn:x:1&direction=sideways", "direction"),
            ("/api/v1/trace?id=urn:x:1&depth=-1", "depth"),
            ("/api/v1/trace?id=urn:x:1&id=urn:x:2", "twice"),
            ("/api/v1/recall?lot=urn:x:1&format=pdf", "format"),
        ]
        for path, word in cases:
            status, headers, body = self.get(path)
            self.assertEqual(status, 400, path)
            self.assertTrue(headers["Content-Type"].startswith("application/problem+json"))
            problem = json.loads(body)
            self.assertIn("QueryParameterException", problem["type"])
            self.assertIn(word, problem["detail"])

    def test_requires_api_key(self):
        status, headers, _ = self.get("/api/v1/trace?id=urn:x:1", key=False)
        self.assertEqual(status, 401)
        self.assertIn("Bearer", headers["WWW-Authenticate"])

    def test_unknown_identifier_is_the_root_alone(self):
        graph = self.trace("urn:example:nothing:here", "both")
        self.assertEqual([n["id"] for n in graph["nodes"]], ["urn:example:nothing:here"])

    def test_recall_in_three_formats(self):
        lot = urllib.parse.quote(self.harvested[0], safe="")
        status, _, body = self.get(f"/api/v1/recall?lot={lot}")
        self.assertEqual(status, 200)
        report = json.loads(body)
        self.assertTrue(report["affected"])
        self.assertTrue(report["rows"])
        status, headers, body = self.get(f"/api/v1/recall?lot={lot}&format=csv")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertIn("Mã lô truy xuất / Traceability lot code", rows[0])
        self.assertEqual(len(rows) - 1, len(report["rows"]))
        status, headers, body = self.get(f"/api/v1/recall?lot={lot}&format=html&lang=vi")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("Báo cáo thu hồi", body.decode())

    def test_cli_prints_the_same_graph(self):
        graph = self.trace(self.made[0], "backward")
        out = subprocess.run([BIN, "trace", self.made[0], "--backward", "--db", self.db, "--json"],
                             check=True, capture_output=True, text=True).stdout
        cli = json.loads(out)
        self.assertEqual({n["id"] for n in cli["nodes"]}, {n["id"] for n in graph["nodes"]})
        tree = subprocess.run([BIN, "trace", self.made[0], "--db", self.db],
                              check=True, capture_output=True, text=True).stdout
        self.assertIn(graph["root"], tree.splitlines()[0])
        self.assertIn("nodes", tree.splitlines()[-1])


if __name__ == "__main__":
    if not os.path.exists(BIN):
        print(f"vntrace binary not found at {BIN}", file=sys.stderr)
        sys.exit(2)
    unittest.main(verbosity=1)
