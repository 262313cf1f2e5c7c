#!/usr/bin/env bash
# Command-line contract of `vntrace gs1 ...`, `vntrace epcis ...` and `vntrace gen`: stdout, stderr and exit codes of the real binary.
# Usage: VNTRACE_BIN=build/asan/vntrace bash tests/cli_test.sh
set -uo pipefail
bin=${VNTRACE_BIN:-build/release/vntrace}
passed=0
failed=0

# expect NAME EXPECTED_EXIT EXPECTED_STDOUT -- ARGS...
expect() {
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  local out err rc
  out=$("$bin" "$@" 2>/tmp/vntrace_cli_err) && rc=0 || rc=$?
  err=$(cat /tmp/vntrace_cli_err)
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit $rc, want $want_rc (stderr: $err)"; failed=$((failed + 1)); return
  fi
  if [ "$want_rc" = 0 ] && [ "$out" != "$want_out" ]; then
    echo "FAIL $name: stdout '$out', want '$want_out'"; failed=$((failed + 1)); return
  fi
  if [ "$want_rc" != 0 ]; then
    if [ -n "$out" ] || [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] || [ -z "$err" ]; then
      echo "FAIL $name: want one line on stderr and nothing on stdout; got '$out' / '$err'"
      failed=$((failed + 1)); return
    fi
    if [ -n "$want_out" ] && [[ "$err" != *"$want_out"* ]]; then
      echo "FAIL $name: stderr '$err' lacks '$want_out'"; failed=$((failed + 1)); return
    fi
  fi
  passed=$((passed + 1))
}

expect dl-uri 0 '{"01":"09520123456788","10":"ABC1","21":"12345","17":"180426"}' -- \
  gs1 parse 'https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426'
expect dl-custom-domain 0 '{"01":"08935001200017","10":"L01"}' -- \
  gs1 parse 'https://truyxuat.example.vn/p/01/08935001200017/10/L01?linkType=gs1:pip'
expect dl-zero-suppressed 0 '{"01":"09520123456788"}' -- \
  gs1 parse --zero-suppressed-gtin 'https://example.com/01/9520123456788'
expect dl-compressed 0 '{"00":"998440410914660971"}' -- \
  gs1 parse 'https://id.gs1.org/AN2yxDhfaiaw'
expect bracketed 0 '{"01":"08935001200017","17":"261231","10":"L01"}' -- \
  gs1 parse '(01)08935001200017(17)261231(10)L01'
expect raw-caret 0 '{"01":"08935001200017","10":"L01","17":"261231"}' -- \
  gs1 parse ']d2010893500120001710L01^17261231'
expect raw-gs 0 '{"01":"08935001200017","10":"L01","17":"261231"}' -- \
  gs1 parse "$(printf ']d2010893500120001710L01\x1d17261231')"
expect urn-sgtin 0 '{"01":"10614141073464","21":"2017"}' -- \
  gs1 parse 'urn:epc:id:sgtin:0614141.107346.2017'
expect urn-sscc 0 '{"00":"040123450000003338"}' -- \
  gs1 parse 'urn:epc:id:sscc:4012345.0000000333'
expect bad-check-digit 2 'check digit' -- gs1 parse '(01)08935001200018'
expect bad-dl-order 2 'out of order' -- gs1 parse 'https://id.gs1.org/01/08935001200017/21/A/10/B'
expect bad-unknown-ai 2 'unknown AI (89)' -- gs1 parse '(89)123'
expect bad-garbage 2 '' -- gs1 parse 'hello'
expect check-gtin13 0 'valid GTIN 08935001200017' -- gs1 check 8935001200017
expect check-gln 0 'valid GLN 8935001200000' -- gs1 check gln:8935001200000
expect check-bad 2 'check digit' -- gs1 check 8935001200018
expect dl-build 0 'https://id.gs1.org/01/08935001200017/10/L01?17=261231' -- \
  gs1 dl 01=08935001200017 17=261231 10=L01
expect dl-build-stem 0 'https://vntrace.vn/t/01/08935001200017/21/S%2B1' -- \
  gs1 dl --stem https://vntrace.vn/t '(01)08935001200017(21)S+1'
expect dl-build-no-key 2 'primary key' -- gs1 dl 99=ABC --stem https://x.vn
expect dl-compress 0 'https://id.gs1.org/AN2yxDhfaiaw' -- gs1 dl --compress 00=998440410914660971
expect no-args 2 '' --

# epcis hash: the reference implementation's first example event (hash/ReferenceEventHashAlgorithm).
epcis_doc=$(mktemp)
trap 'rm -f "$epcis_doc"' EXIT
cat >"$epcis_doc" <<'JSON'
{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  {"example": "https://ns.example.com/epcis/"}],
 "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2022-02-17T11:30:47.0Z",
 "epcisBody": {"eventList": [{"type": "ObjectEvent",
  "eventTime": "2020-03-04T11:00:30.000+01:00", "eventTimeZoneOffset": "+01:00",
  "recordTime": "2020-03-04T11:00:30.999+01:00",
  "epcList": ["urn:epc:id:sscc:4012345.0000000333", "urn:epc:id:sscc:4012345.0000000111",
              "urn:epc:id:sscc:4012345.0000000222"],
  "action": "OBSERVE", "bizStep": "departing",
  "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
  "example:myField1": {"example:mySubField1": "2", "example:mySubField2": "5"},
  "example:myField2": "0", "example:myField3": {"example:mySubField3": ["3", "1"]}}]}}
JSON
epcis_hash='ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0'
expect epcis-hash-file 0 "$epcis_hash" -- epcis hash "$epcis_doc"
expect epcis-hash-missing 2 'cannot open' -- epcis hash /nonexistent/doc.jsonld
expect epcis-hash-no-doc 2 '' -- epcis hash
out=$("$bin" epcis hash - <"$epcis_doc" 2>/dev/null) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [ "$out" = "$epcis_hash" ]; then passed=$((passed + 1)); else
  echo "FAIL epcis-hash-stdin: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
err=$(printf '{"epcisBody": {"eventList": [{"action": "ADD"}]}}' | "$bin" epcis hash - 2>&1 >/dev/null) \
  && rc=0 || rc=$?
if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [[ "$err" == *'eventList[0]'* ]]; then
  passed=$((passed + 1)); else
  echo "FAIL epcis-hash-bad-event: exit $rc, stderr '$err'"; failed=$((failed + 1)); fi

expect epcis-validate-ok 0 'valid: 1 events' -- epcis validate "$epcis_doc"
bad_doc=$(mktemp)
sed 's/"action": "OBSERVE"/"action": "JUMP"/' "$epcis_doc" >"$bad_doc"
out=$("$bin" epcis validate "$bad_doc" 2>/dev/null) && rc=0 || rc=$?
rm -f "$bad_doc"
if [ "$rc" = 2 ] && [[ "$out" == *'event 0'*'action'* ]]; then passed=$((passed + 1)); else
  echo "FAIL epcis-validate-bad: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi

# The same event in the XML binding (told by its content) hashes alike and validates.
xml_doc=$(mktemp --suffix=.xml)
cat >"$xml_doc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://ns.example.com/epcis/"
    schemaVersion="2.0" creationDate="2022-02-17T11:30:47.0Z">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2020-03-04T11:00:30.000+01:00</eventTime>
    <recordTime>2020-03-04T11:00:30.999+01:00</recordTime>
    <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sscc:4012345.0000000333</epc><epc>urn:epc:id:sscc:4012345.0000000111</epc>
      <epc>urn:epc:id:sscc:4012345.0000000222</epc></epcList>
    <action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:departing</bizStep>
    <readPoint><id>urn:epc:id:sgln:4012345.00011.987</id></readPoint>
    <ex:myField1><ex:mySubField1>2</ex:mySubField1><ex:mySubField2>5</ex:mySubField2></ex:myField1>
    <ex:myField2>0</ex:myField2>
    <ex:myField3><ex:mySubField3>3</ex:mySubField3><ex:mySubField3>1</ex:mySubField3></ex:myField3>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>
XML
expect epcis-hash-xml 0 "$epcis_hash" -- epcis hash "$xml_doc"
expect epcis-validate-xml 0 'valid: 1 events' -- epcis validate "$xml_doc"
sed -i 's/<action>OBSERVE/<action>JUMP/' "$xml_doc"
out=$("$bin" epcis validate "$xml_doc" 2>/dev/null) && rc=0 || rc=$?
if [ "$rc" = 2 ] && [[ "$out" == *'event 0'*'action'* ]]; then passed=$((passed + 1)); else
  echo "FAIL epcis-validate-xml-bad: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
printf '<epcis:EPCISDocument><EPCISBody>' >"$xml_doc"
expect epcis-hash-xml-broken 2 'not well-formed XML' -- epcis hash "$xml_doc"
rm -f "$xml_doc"

# org create / user create: the registry from the command line.
reg_db=$(mktemp -d)/registry.db
org_id=$("$bin" org create --db "$reg_db" --name 'HTX Nghĩa Ân' --type cooperative \
  --tax-code 0300588569 --province 'Quảng Ngãi' --commune 'Xã Nghĩa Hành' 2>/dev/null) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [[ "$org_id" == http://127.0.0.1:8080/id/org/* ]]; then passed=$((passed + 1)); else
  echo "FAIL org-create: exit $rc, stdout '$org_id'"; failed=$((failed + 1)); fi
expect org-create-bad-tax-code 2 'check digit' -- org create --db "$reg_db" --name X \
  --type enterprise --tax-code 0300588568 --province P --commune C
expect org-create-bad-type 2 'organisation kind' -- org create --db "$reg_db" --name X \
  --type company --province P --commune C
user_id=$(printf 'mật-khẩu-dài\n' | "$bin" user create --db "$reg_db" --email Lan@HTX.vn \
  --role org_admin --org "$org_id" --name 'Chị Lan' 2>/dev/null) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [[ "$user_id" == http://127.0.0.1:8080/id/user/* ]]; then passed=$((passed + 1)); else
  echo "FAIL user-create: exit $rc, stdout '$user_id'"; failed=$((failed + 1)); fi
err=$(printf 'mật-khẩu-dài\n' | "$bin" user create --db "$reg_db" --email lan@htx.vn \
  --role org_staff --org "$org_id" 2>&1 >/dev/null) && rc=0 || rc=$?
if [ "$rc" = 2 ] && [[ "$err" == *'already registered'* ]]; then passed=$((passed + 1)); else
  echo "FAIL user-create-taken: exit $rc, stderr '$err'"; failed=$((failed + 1)); fi
err=$(printf 'short\n' | "$bin" user create --db "$reg_db" --email b@htx.vn \
  --role org_staff --org "$org_id" 2>&1 >/dev/null) && rc=0 || rc=$?
if [ "$rc" = 2 ] && [[ "$err" == *'at least 8'* ]]; then passed=$((passed + 1)); else
  echo "FAIL user-create-short-password: exit $rc, stderr '$err'"; failed=$((failed + 1)); fi
err=$("$bin" user create --db "$reg_db" --email c@htx.vn --role org_staff --org "$org_id" \
  2>&1 >/dev/null </dev/null) && rc=0 || rc=$?
if [ "$rc" = 2 ] && [[ "$err" == *'standard input'* ]]; then passed=$((passed + 1)); else
  echo "FAIL user-create-no-password: exit $rc, stderr '$err'"; failed=$((failed + 1)); fi
err=$(printf 'mật-khẩu-dài\n' | "$bin" user create --db "$reg_db" --email d@htx.vn \
  --role boss 2>&1 >/dev/null) && rc=0 || rc=$?
if [ "$rc" = 2 ] && [[ "$err" == *'role must be'* ]]; then passed=$((passed + 1)); else
  echo "FAIL user-create-bad-role: exit $rc, stderr '$err'"; failed=$((failed + 1)); fi
out=$("$bin" apikey create --db "$reg_db" --label erp 2>/dev/null | tail -1) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [[ "$out" == vk_* ]]; then passed=$((passed + 1)); else
  echo "FAIL apikey-create-after-registry: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
out=$("$bin" apikey create --db "$reg_db" --label coop --org "$org_id" 2>/dev/null | tail -1) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [[ "$out" == vk_* ]]; then passed=$((passed + 1)); else
  echo "FAIL apikey-create-for-org: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
expect apikey-create-unknown-org 1 '' -- apikey create --db "$reg_db" --org http://x/id/org/none
rm -rf "$(dirname "$reg_db")"

# gen: a small chain whose every document validates, the same bytes for the same seed.
gen_a=$(mktemp -d) gen_b=$(mktemp -d)
out=$("$bin" gen --out "$gen_a" --events 300 --seed 3 --per-document 100 2>/dev/null) && rc=0 || rc=$?
"$bin" gen --out "$gen_b" --events 300 --seed 3 --per-document 100 >/dev/null 2>&1
gen_ok=1
[ "$rc" = 0 ] && [[ "$out" == events=*' documents='*' farm_lot=https://id.gs1.org/01/'* ]] || gen_ok=0
[ -f "$gen_a/chain-00001.json" ] && diff -r "$gen_a" "$gen_b" >/dev/null || gen_ok=0
for doc in "$gen_a"/chain-*.json; do
  [[ "$("$bin" epcis validate "$doc" 2>/dev/null)" == 'valid: '* ]] || gen_ok=0
done
rm -rf "$gen_a" "$gen_b"
if [ "$gen_ok" = 1 ]; then passed=$((passed + 1)); else
  echo "FAIL gen-out: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
out=$("$bin" gen --stdout --events 40 --seed 5 2>/dev/null | "$bin" epcis validate - 2>/dev/null)
if [[ "$out" == 'valid: '* ]]; then passed=$((passed + 1)); else
  echo "FAIL gen-stdout: '$out'"; failed=$((failed + 1)); fi
expect gen-no-target 2 'exactly one of --out DIR and --stdout' -- gen --events 10

# trace and recall: argument errors and a missing database (tests/integration/trace_server_test.py
# traces a real chain).
expect trace-no-id 2 '' -- trace
expect trace-both-flags 2 'exclude each other' -- trace urn:x:1 --forward --backward --db /nonexistent.db
expect trace-missing-db 1 '' -- trace urn:x:1 --db /nonexistent/vntrace.db
expect recall-bad-format 2 '' -- recall urn:x:1 --format pdf

# demo: loads into an empty database, prints "ROLE EMAIL PASSWORD" per login, refuses a second load.
demo_dir=$(mktemp -d)
out=$("$bin" demo --db "$demo_dir/demo.db" 2>/dev/null) && rc=0 || rc=$?
demo_ok=1
[ "$rc" = 0 ] && [ -n "$out" ] || demo_ok=0
while IFS= read -r line; do
  [[ "$line" =~ ^(system_admin|authority_officer|inspector|org_admin|org_staff)\ [^[:space:]]+@[^[:space:]]+\ [^[:space:]]+$ ]] || demo_ok=0
done <<< "$out"
for role in system_admin authority_officer inspector org_admin org_staff; do
  grep -q "^$role " <<< "$out" || demo_ok=0
done
if [ "$demo_ok" = 1 ]; then passed=$((passed + 1)); else
  echo "FAIL demo-load: exit $rc, stdout '$out'"; failed=$((failed + 1)); fi
expect demo-second-load 1 '' -- demo --db "$demo_dir/demo.db"
rm -rf "$demo_dir"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
