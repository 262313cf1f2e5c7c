#!/usr/bin/env python3
"""Integration tests: the real `vntrace serve` on a free loopback port, spoken to over HTTP.

Usage: VNTRACE_BIN=build/asan/vntrace /usr/bin/python3 tests/integration/epcis_server_test.py
GS1's examples and the EPCIS 2.0 JSON schema are read from ../shared/conformance; tests that need
them skip with a message when it is absent. Every EPCISQueryDocument received is validated
against that schema with Debian's python3-jsonschema (draft-07, date-time and uri formats
checked), hence Debian's interpreter.
"""
import datetime
import json
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from harness import BIN, CONFORMANCE, CONTEXT, Server, create_key, document


SCHEMA_PATH = os.path.join(CONFORMANCE, "epcis", "EPCIS-JSON-Schema.json")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def is_rfc3339(value):
    """JSON Schema's date-time format: RFC 3339 `date-time` (python3-jsonschema needs the
    rfc3339-validator module for it, which Debian 12 does not package)."""
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    text = value.upper().replace("Z", "+00:00")
    fraction = re.search(r"\.\d+", text)
    if fraction:  # fromisoformat takes at most 6 fraction digits
        text = text.replace(fraction.group(0), fraction.group(0)[:7])
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def load_schema_validator():
    """(validator, None) for the EPCIS 2.0 JSON schema, or (None, why not)."""
    if not os.path.exists(SCHEMA_PATH):
        return None, f"{SCHEMA_PATH} is absent: responses NOT checked against the EPCIS 2.0 JSON schema"
    try:
        import jsonschema
    except ImportError:
        return None, ("python3-jsonschema is not importable by " + sys.executable +
                      ": responses NOT checked (install it with scripts/install-deps.sh and run "
                      "with /usr/bin/python3)")
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    # Remote $refs are resolved from the local copies of GS1's schemas, never fetched.
    local = {}
    for folder, _, files in os.walk(os.path.join(CONFORMANCE, "epcis")):
        for name in files:
            if name.endswith(".json"):
                try:
                    with open(os.path.join(folder, name), encoding="utf-8") as f:
                        doc = json.load(f)
                except ValueError:
                    continue
                if isinstance(doc, dict) and isinstance(doc.get("$id"), str):
                    local[doc["$id"]] = doc

    def refuse(uri):
        raise jsonschema.RefResolutionError(f"{uri} has no local copy and is never fetched")

    resolver = jsonschema.RefResolver.from_schema(schema, store=local)
    resolver.handlers.update({"http": refuse, "https": refuse})
    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(is_rfc3339)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, resolver=resolver, format_checker=checker), None


SCHEMA_VALIDATOR, SCHEMA_ABSENT_REASON = load_schema_validator()


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
        return self.server.request(method, path, body, headers, key=self.key if key else None)

    def capture(self, events, headers=None):
        status, response_headers, body = self.request("POST", "/epcis/capture", document(events),
                                                      headers=headers)
        self.assertEqual(status, 202, body)
        return response_headers["Location"]

    def query_document(self, body):
        """The events of an EPCISQueryDocument answer, checked against the EPCIS 2.0 JSON
        schema (when ../shared is there)."""
        doc = json.loads(body)
        if SCHEMA_VALIDATOR is not None:
            errors = sorted(SCHEMA_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
            self.assertEqual(
                [], [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]],
                "the EPCISQueryDocument does not validate against the EPCIS 2.0 JSON schema")
        self.assertEqual(doc["type"], "EPCISQueryDocument")
        return doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]

    def get_events(self, path, headers=None):
        """GET of an events resource: 200 and a valid EPCISQueryDocument."""
        status, response_headers, body = self.request("GET", path, headers=headers)
        self.assertEqual(status, 200, body)
        return self.query_document(body), response_headers

    def query(self, params, headers=None):
        return self.get_events("/epcis/events?" + urllib.parse.urlencode(params), headers)

    def capture_job(self, location):
        status, _, body = self.request("GET", location)
        self.assertEqual(status, 200, body)
        return json.loads(body)

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

    def test_error_declaration_through_post_events(self):
        event = dict(object_event("urn:epc:id:sgtin:8935001.020001.DECL-1"),
                     eventID="urn:uuid:5b1b7f1e-0000-4000-8000-00000000decl",
                     **{"@context": [CONTEXT]})
        status, _, body = self.request("POST", "/epcis/events", event)
        self.assertEqual(status, 201, body)
        status, _, body = self.request("POST", "/epcis/events", event)
        self.assertEqual(status, 409, body)
        declared = dict(event, errorDeclaration={"declarationTime": "2026-11-21T08:00:00.000+07:00",
                                                 "reason": "incorrect_data"})
        status, _, body = self.request("POST", "/epcis/events", declared)
        self.assertEqual(status, 201, body)
        events, _ = self.query({"EQ_eventID": event["eventID"], "EXISTS_errorDeclaration": ""})
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["errorDeclaration"]["reason"], "incorrect_data")

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
        single, _ = self.get_events("/epcis/events/" + urllib.parse.quote(event["eventID"], safe=""))
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
            page, headers = self.get_events(path)
            pages += 1
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
        named, _ = self.get_events("/epcis/queries/shipments-test/events")
        self.assertGreaterEqual(len(named), 1)
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
        found, _ = self.get_events("/epcis/bizSteps/shipping/events")
        self.assertGreaterEqual(len(found), 1)
        found, _ = self.get_events("/epcis/eventTypes/ObjectEvent/events")
        self.assertGreaterEqual(len(found), 1)
        found, _ = self.get_events("/epcis/epcs/" + urllib.parse.quote("urn:epc:id:sgtin:8935001.020001.TOP-1", safe="") + "/events")
        self.assertEqual(len(found), 1)
        found, _ = self.get_events("/epcis/readPoints/" + urllib.parse.quote("urn:epc:id:sgln:8935001.00000.0", safe="") + "/events")
        self.assertGreaterEqual(len(found), 1)
        found, _ = self.get_events("/epcis/dispositions/in_transit/events")
        self.assertGreaterEqual(len(found), 1)
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

    def test_query_responses_validate_against_schema(self):
        if SCHEMA_VALIDATOR is None:
            self.skipTest(SCHEMA_ABSENT_REASON)
        folder = os.path.join(CONFORMANCE, "epcis", "JSON")
        captured = []
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                if not name.endswith((".json", ".jsonld")):
                    continue
                with open(os.path.join(root, name), "rb") as f:
                    body = f.read()
                try:
                    doc = json.loads(body)
                except ValueError:
                    continue
                if not isinstance(doc, dict) or not SCHEMA_VALIDATOR.is_valid(doc):
                    continue
                status, _, text = self.request("POST", "/epcis/capture", body)
                self.assertEqual(status, 202, (name, text))
                captured.append(name)
        self.assertGreater(len(captured), 10)
        # One object as EPC URN and as Digital Link: translated, the EPC list must not repeat it.
        twice = ["urn:epc:id:sgtin:8935001.020001.SCHEMA-1",
                 "https://id.gs1.org/01/08935001200017/21/SCHEMA-1"]
        self.capture([object_event(twice[0], epcList=twice)])
        found, _ = self.query({"MATCH_epc": twice[0]}, headers={"GS1-EPC-Format": "Always_GS1_Digital_Link"})
        self.assertEqual(found[0]["epcList"], [twice[1]])
        everything, _ = self.query({"perPage": "1000"})
        self.assertGreater(len(everything), 20)
        for epc_format in ["No_Preference", "Always_GS1_Digital_Link", "Always_EPC_URN", "Never_Translates"]:
            self.query({"perPage": "1000"}, headers={"GS1-EPC-Format": epc_format})
        for event_type in ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
                           "AssociationEvent"]:
            found, _ = self.get_events(f"/epcis/eventTypes/{event_type}/events?perPage=1000")
            self.assertTrue(all(e["type"] == event_type for e in found))
        self.query({"EXISTS_sensorElementList": "true"})
        self.query({"EXISTS_errorDeclaration": "true"})
        for event in everything[:25]:
            single, _ = self.get_events("/epcis/events/" + urllib.parse.quote(event["eventID"], safe=""))
            self.assertEqual(single[0]["eventID"], event["eventID"])
        q = {"name": "schema-check", "query": {"eventType": ["ObjectEvent"], "EXISTS_errorDeclaration": None}}
        status, _, body = self.request("POST", "/epcis/queries", q)
        self.assertEqual(status, 201, body)
        self.get_events("/epcis/queries/schema-check/events?perPage=5")

    def test_capture_error_behaviour_proceed(self):
        good = object_event("urn:epc:id:sgtin:8935001.020001.PROCEED-1")
        bad = object_event("urn:epc:id:sgtin:8935001.020001.PROCEED-2")
        bad["action"] = "JUMP"
        also_good = object_event("urn:epc:id:sgtin:8935001.020001.PROCEED-3")
        location = self.capture([good, bad, 7, also_good],
                                headers={"GS1-Capture-Error-Behaviour": "proceed"})
        job = self.capture_job(location)
        self.assertEqual(job["captureErrorBehaviour"], "proceed")
        self.assertFalse(job["running"])
        self.assertFalse(job["success"])
        self.assertEqual([e["eventIndex"] for e in job["errors"]], [1, 2])
        for error in job["errors"]:
            self.assertEqual(error["type"], "epcisException:ValidationException")
            self.assertEqual(error["status"], 400)
        self.assertIn("event 1, action", job["errors"][0]["detail"])
        self.assertIn("event 2", job["errors"][1]["detail"])
        found, _ = self.query({"MATCH_epc": "urn:epc:idpat:sgtin:8935001.020001.*",
                               "GE_eventTime": "2026-11-20T00:00:00Z", "EQ_bizStep": "shipping",
                               "perPage": "1000"})
        epcs = {e["epcList"][0] for e in found}
        self.assertIn("urn:epc:id:sgtin:8935001.020001.PROCEED-1", epcs)
        self.assertIn("urn:epc:id:sgtin:8935001.020001.PROCEED-3", epcs)
        self.assertNotIn("urn:epc:id:sgtin:8935001.020001.PROCEED-2", epcs)
        # Without an invalid event a proceed job succeeds.
        location = self.capture([object_event("urn:epc:id:sgtin:8935001.020001.PROCEED-4")],
                                headers={"GS1-Capture-Error-Behaviour": "proceed"})
        job = self.capture_job(location)
        self.assertTrue(job["success"])
        self.assertEqual(job["errors"], [])
        # A problem of the document itself refuses it whole, as with rollback.
        broken = document([object_event("urn:epc:id:sgtin:8935001.020001.PROCEED-5")])
        del broken["creationDate"]
        status, _, body = self.request("POST", "/epcis/capture", broken,
                                       headers={"GS1-Capture-Error-Behaviour": "proceed"})
        self.assertEqual(status, 400, body)
        self.assertIn("creationDate", json.loads(body)["detail"])
        found, _ = self.query({"MATCH_epc": "urn:epc:id:sgtin:8935001.020001.PROCEED-5"})
        self.assertEqual(found, [])

    def test_capture_error_behaviour_rollback(self):
        good = object_event("urn:epc:id:sgtin:8935001.020001.ROLLBACK-1")
        bad = object_event("urn:epc:id:sgtin:8935001.020001.ROLLBACK-2")
        bad["action"] = "JUMP"
        status, _, body = self.request("POST", "/epcis/capture", document([good, bad]),
                                       headers={"GS1-Capture-Error-Behaviour": "rollback"})
        self.assertEqual(status, 400, body)
        self.assertIn("event 1, action", json.loads(body)["detail"])
        found, _ = self.query({"MATCH_epc": "urn:epc:id:sgtin:8935001.020001.ROLLBACK-1"})
        self.assertEqual(found, [])
        for headers in [{"GS1-Capture-Error-Behaviour": "rollback"}, {}]:
            job = self.capture_job(self.capture([good], headers=headers))
            self.assertEqual(job["captureErrorBehaviour"], "rollback")
            self.assertTrue(job["success"])
            self.assertEqual(job["errors"], [])

    def test_capture_error_behaviour_all_and_unknown_values(self):
        # "all" is how a server says it supports both; a request must choose one.
        status, headers, _ = self.request("OPTIONS", "/epcis/capture")
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("GS1-Capture-Error-Behaviour"), "all")
        event = object_event("urn:epc:id:sgtin:8935001.020001.BEHAVIOUR-1")
        for value, fragment in [("all", "'all' is only announced by a server"),
                                ("ignore", "expected 'rollback' or 'proceed', got 'ignore'"),
                                ("Proceed", "got 'Proceed'")]:
            status, headers, body = self.request("POST", "/epcis/capture", document([event]),
                                                 headers={"GS1-Capture-Error-Behaviour": value})
            self.assertEqual(status, 400, body)
            self.assertTrue(headers["Content-Type"].startswith("application/problem+json"))
            problem = json.loads(body)
            self.assertEqual(problem["type"], "epcisException:ValidationException")
            self.assertIn("GS1-Capture-Error-Behaviour", problem["detail"])
            self.assertIn(fragment, problem["detail"])
        found, _ = self.query({"MATCH_epc": "urn:epc:id:sgtin:8935001.020001.BEHAVIOUR-1"})
        self.assertEqual(found, [])

    def test_sensor_and_quantity_parameters(self):
        event = object_event(
            "urn:epc:id:sgtin:8935001.020001.SENSOR-1",
            quantityList=[{"epcClass": "urn:epc:class:lgtin:8935001.020001.LOT7", "quantity": 7, "uom": "KGM"}],
            sensorElementList=[{
                "sensorMetadata": {"time": "2026-11-20T07:00:00.000+07:00",
                                   "deviceID": "urn:epc:id:giai:8935001.SENSOR9"},
                "sensorReport": [{"type": "Temperature", "value": 4.5, "minValue": 2, "maxValue": 6.5,
                                  "meanValue": 4.2, "sDev": 0.3, "uom": "CEL"}]}])
        self.capture([event])
        epc = "urn:epc:id:sgtin:8935001.020001.SENSOR-1"
        hits = [{"GT_value_CEL": "4"}, {"EQ_value_CEL": "1|4.5"}, {"GE_minValue_CEL": "2"},
                {"LE_maxValue_CEL": "6.5"}, {"LT_meanValue_CEL": "5"}, {"LT_sDev_CEL": "0.5"},
                {"EQ_type": "Temperature"}, {"EQ_deviceID": "urn:epc:id:giai:8935001.SENSOR9"},
                {"EQ_quantity": "3|7"}, {"EQ_quantity_KGM": "7"}, {"GE_time": "2026-11-19T00:00:00Z"},
                {"EXISTS_sensorElementList": ""}]
        misses = [{"GT_value_CEL": "5"}, {"EQ_value_FAH": "4.5"}, {"GT_sDev_CEL": "1"},
                  {"EQ_type": "Speed"}, {"EQ_quantity": "3|8"}, {"GE_percValue_CEL": "1"}]
        for extra, expected in [(p, 1) for p in hits] + [(p, 0) for p in misses]:
            found, _ = self.query(dict(extra, MATCH_epc=epc))
            self.assertEqual(len(found), expected, extra)
        q = {"name": "sensor-test", "query": {"MATCH_epc": [epc], "EQ_quantity": [3, 7],
                                              "GT_value_CEL": 4, "EXISTS_sensorElementList": None}}
        status, _, body = self.request("POST", "/epcis/queries", q)
        self.assertEqual(status, 201, body)
        found, _ = self.get_events("/epcis/queries/sensor-test/events")
        self.assertEqual(len(found), 1)
        status, _, body = self.request("GET", "/epcis/events?HASATTR_readPoint=cbvmda:site")
        self.assertEqual(status, 501, body)
        self.assertIn("master data", json.loads(body)["detail"])

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
