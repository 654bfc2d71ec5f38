#!/usr/bin/python3
"""The generated scenario schema, checked against the reader it was generated for.

    check_schema.py BQSIM SCHEMA SOURCE_DIR

1. The schema is valid JSON Schema (draft 2020-12), and every shipped scenario
   (scenarios/*.json, tests/bad_inputs/valid_base.json) passes both it and `bqsim validate`.
2. Agreement on a corpus: every valid scenario passes both; every invalid one (tests/bad_inputs/
   and the mutations below) is rejected by `bqsim validate` (exit 2, one line) and by the
   schema, except the cases listed in READER_ONLY: rules JSON Schema cannot say (they span
   fields, or JSON Schema never sees them, as a duplicate key). Those must still be ACCEPTED by
   the schema, so that the list stays exact: a rule the schema learns to say leaves the list.
3. Every section's keys: the keys the reader accepts (from its own "expected one of ..." line
   for an unknown key) equal the schema's properties of that section, per protocol, per
   behaviour and per distribution.
Prints one line per problem and exits 1 if there is any.
"""
import copy
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # Debian's python3-jsonschema, run by /usr/bin/python3 (scripts/setup.sh)
    sys.exit("error: jsonschema is missing: install python3-jsonschema and run with "
             "/usr/bin/python3")

BQSIM, SCHEMA, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
BASE = json.loads((SOURCE / "tests/bad_inputs/valid_base.json").read_text())
problems = []
tmp = pathlib.Path(tempfile.mkdtemp(prefix="bqsim-schema-"))

# Rules only the reader can check, each with the reason JSON Schema cannot say it.
READER_ONLY = {
    # tests/bad_inputs/
    "duplicate_key.json": "a duplicate key is gone once the text is parsed",
    "duplicate_byzantine_server.json": "a server in two entries: uniqueness across entries",
    "n_too_small.json": "n >= the protocol's minimum, a function of f (and t)",
    "too_many_byzantine.json": "at most f Byzantine servers: a count compared with f",
    "server_out_of_range.json": "server ids below n",
    "omit_client_out_of_range.json": "omit's own rule: client indices below workload.clients",
    "until_before_from.json": "until_s > from_s compares two fields",
    "slow_bad_delay.json": "uniform max_s >= min_s compares two fields",
    "sweep_bad_run.json": "each run of a sweep's cross product is checked as a scenario",
    "groups_overlap": "a partition's groups share no node: sets of node ranges",
    # mutations below
    "t_above_f": "t <= f compares two fields",
    "timeout_below_2_bound": "timeout_s >= 2 * network.bound_s spans sections",
    "buffers_below_n": "buffers is 0 or >= n, a field resolved from f",
    "retransmit_cap_below_initial": "retransmit_cap_s >= retransmit_initial_s compares fields",
    "delay_above_bound": "a sync delay's upper bound <= bound_s compares numbers across fields",
    "link_server_index_above_n": "server:I below n",
    "link_client_index_above_clients": "client:I below workload.clients",
    "fault_pattern_above_n": "server:I-J below n",
    "fault_pattern_bad": "server:I-J with I <= J compares two numbers in a string",
    "count_above_n": "count <= n",
    "margin_above_bits": "ts-inflate's own rule: margin < 2^timestamp_bits",
    "equivocate_forge_on_signed": "equivocate's own rule: lie forge needs generic data",
    "platform_file_missing": "the platform file must exist",
    "sweep_too_many_runs": "at most 10000 runs: a product of list lengths",
}


def run_validate(doc, name):
    path = tmp / (name + ".json")
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    r = subprocess.run([BQSIM, "validate", str(path)], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def schema_errors(validator, doc):
    return [e.message for e in validator.iter_errors(doc)]


def with_(path, value, base=BASE):
    """A copy of base with the dotted path set (None deletes the key)."""
    doc = copy.deepcopy(base)
    parts = path.split(".")
    at = doc
    for p in parts[:-1]:
        at = at[int(p)] if isinstance(at, list) else at.setdefault(p, {})
    last = parts[-1]
    if isinstance(at, list):
        at[int(last)] = value
    elif value is None:
        at.pop(last, None)
    else:
        at[last] = value
    return doc


def with_behaviour(behaviour, protocol=None, **top):
    doc = copy.deepcopy(BASE)
    doc["byzantine"] = [{"servers": [0], "behaviours": [behaviour]}]
    if protocol:
        doc["protocol"] = protocol
    doc.update(top)
    return doc


ASYNC = {"network": {"delay": {"dist": "exponential", "mean_s": 0.001}}}
SV = {"name": "sbq-dissemination", "f": 1}


def valid_corpus():
    yield "base", BASE
    yield "empty", {}
    for p in ["mr-masking", "mr-dissemination", "sbq-masking", "sbq-dissemination",
              "u-masking", "u-dissemination"]:
        yield "protocol_" + p, with_("protocol", {"name": p, "f": 1}, BASE | ASYNC)
    yield "sync_threshold", with_("protocol", {"name": "sync-threshold", "f": 1, "t": 1,
                                               "data": "self-verifying", "timeout_s": 0.05})
    yield "sync_generic_f1th", with_("protocol", {"name": "sync-threshold", "ts_choice": "f+1-th"})
    yield "u_options", with_("protocol", {"name": "u-masking", "retransmit_initial_s": 0.01,
                                          "retransmit_backoff": 1.5, "retransmit_cap_s": 0.5,
                                          "buffers": 0}, BASE | ASYNC)
    yield "signature_options", with_("protocol", SV | {"signature_bytes": 64, "sign_cpu_s": 1e-4,
                                                       "verify_cpu_s": 1e-4})
    yield "contact_quorum", with_("protocol.contact", "quorum")
    yield "duration", with_("workload.ops_per_client", None, with_("workload.duration_s", 5))
    yield "partial", with_("network", {"synchrony": "partial", "bound_s": 0.01, "gst_s": 1,
                                       "pre_gst_delay": {"dist": "constant", "value_s": 1},
                                       "pre_gst_hold": [{"from": "*", "to": "server:0-1"}]})
    yield "lossy_u_masking", with_("protocol", {"name": "u-masking", "f": 1}, with_("network", {
        "loss_probability": 0.1, "faults": [{"kind": "link-down", "from": "client:0"},
                                            {"kind": "partition", "groups": [["server:0"]]}]}))
    yield "faults_reliable", with_("network", {"faults": [
        {"kind": "partition", "groups": [["server:0-1"], ["client:*"]], "mode": "hold",
         "from_s": 1, "until_s": 2},
        {"kind": "loss", "probability": 0},
        {"kind": "bursty-loss", "p_good_bad": 0, "p_bad_good": 0.5},
        {"kind": "bursty-loss", "p_good_bad": 0.5, "p_bad_good": 0.5, "loss_bad": 0},
        {"kind": "delay", "delay": {"dist": "exponential", "mean_s": 0.1}},
        {"kind": "duplicate", "probability": 0.5, "to": "server:*"}]})
    yield "lossy_unsafe", with_("allow_unsafe", True, with_("network", {
        "loss_probability": 0.1, "faults": [{"kind": "link-down"}]}))
    yield "fifo_links", with_("network.links", [{"from": "*", "to": "*", "fifo": True}])
    yield "bandwidth", with_("network", {"model": "bandwidth", "bandwidth_Bps": 1e6,
                                         "link_latency_s": 0.001})
    for d in [{"dist": "constant", "value_s": 0}, {"dist": "normal", "mean_s": 0, "sd_s": 1},
              {"dist": "lognormal", "median_s": 1, "sigma": 0}, {"dist": "pareto", "scale_s": 1,
                                                               "shape": 0.5}]:
        yield "think_" + d["dist"], with_("workload.think_time", d)
    behaviours = [
        {"kind": "forge", "coalition": "x", "ts_counter": 1e18, "value": 7,
         "answer_ts_queries": True},
        {"kind": "crash", "at_s": 1},
        {"kind": "stale", "which": "oldest"},
        {"kind": "stale", "k": 3},
        {"kind": "equivocate", "mode": "by-request", "lie": "forge", "coalition": "x"},
        {"kind": "slow", "delay": {"dist": "exponential", "mean_s": 1}},
        {"kind": "omit", "clients": [1, 0], "types": ["read", "write_ack"], "direction": "in"},
        {"kind": "ts-inflate", "margin": 3},
    ]
    for b in behaviours:
        yield "behaviour_" + b["kind"] + str(len(b)), with_behaviour(b)
    yield "stale_on_signed", with_behaviour({"kind": "stale"}, SV)
    yield "sweep", with_("sweep", {"protocol.f": [1], "seed": [1, 2]})


def invalid_corpus():
    for path in sorted((SOURCE / "tests/bad_inputs").glob("*.json")):
        if path.name not in ("valid_base.json", "sweep_in_run.json"):  # the latter: run only
            yield path.name, path.read_text()
    m = [
        ("unknown_top", with_("frobs", 1)),
        ("bad_name", with_("name", ".hidden")),
        ("seed_negative", with_("seed", -1)),
        ("seed_fraction", with_("seed", 1.5)),
        ("bits_65", with_("timestamp_bits", 65)),
        ("unknown_protocol_key", with_("protocol.retransmit_cap_s", 1)),
        ("f_too_big", with_("protocol.f", 10001)),
        ("contact_on_sync", with_("protocol", {"name": "sync-threshold", "contact": "all"})),
        ("data_not_accepted", with_("protocol.data", "generic")),
        ("f1th_on_signed", with_("protocol", SV | {"ts_choice": "f+1-th"})),
        ("f1th_on_sync_signed", with_("protocol", {"name": "sync-threshold",
                                                   "data": "self-verifying",
                                                   "ts_choice": "f+1-th"})),
        ("sync_protocol_async_net", with_("protocol", {"name": "sync-threshold"}, BASE | ASYNC)),
        ("t_above_f", with_("protocol", {"name": "sync-threshold", "f": 1, "t": 2})),
        ("t_too_big", with_("protocol", {"name": "sync-threshold", "t": 2147483648})),
        ("timeout_below_2_bound", with_("protocol", {"name": "sync-threshold", "timeout_s": 0.01})),
        ("buffers_below_n", with_("protocol", {"name": "u-masking", "buffers": 3}, BASE | ASYNC)),
        ("retransmit_cap_below_initial",
         with_("protocol", {"name": "u-masking", "retransmit_cap_s": 0.01}, BASE | ASYNC)),
        ("backoff_below_1", with_("protocol", {"name": "u-masking", "retransmit_backoff": 0.5},
                                  BASE | ASYNC)),
        ("clients_zero", with_("workload.clients", 0)),
        ("registers_fraction", with_("workload.registers", 1.5)),
        ("value_bytes_huge", with_("workload.value_bytes", 2**31)),
        ("duration_zero", with_("workload.ops_per_client", None, with_("workload.duration_s", 0))),
        ("think_negative", with_("workload.think_time", {"dist": "constant", "value_s": -1})),
        ("think_missing_param", with_("workload.think_time", {"dist": "normal", "mean_s": 1})),
        ("think_extra_param", with_("workload.think_time", {"dist": "constant", "value_s": 1,
                                                            "sd_s": 1})),
        ("pareto_zero_shape", with_("workload.think_time", {"dist": "pareto", "scale_s": 1,
                                                            "shape": 0})),
        ("delay_above_bound", with_("network.delay", {"dist": "constant", "value_s": 1})),
        ("bound_on_async", with_("network", {"bound_s": 1})),
        ("loss_one", with_("network", {"loss_probability": 1})),
        ("bandwidth_on_latency", with_("network", {"bandwidth_Bps": 1})),
        ("bandwidth_on_sync", with_("network.model", "bandwidth")),
        ("model_unknown", with_("network.model", "flow")),
        ("link_without_override", with_("network.links", [{"from": "*", "to": "*"}])),
        ("link_loss_on_sync", with_("network.links", [{"from": "*", "to": "*",
                                                       "loss_probability": 0.1}])),
        ("link_server_index_above_n", with_("network.links", [{"from": "server:9", "to": "*",
                                                               "delay": {"dist": "constant",
                                                                         "value_s": 0}}])),
        ("link_client_index_above_clients",
         with_("network.links", [{"from": "client:5", "to": "*",
                                  "delay": {"dist": "constant", "value_s": 0}}])),
        ("platform_file_missing", with_("network", {"model": "bandwidth",
                                                    "platform_file": "no-such-file.xml"})),
        ("servers_and_count", with_("byzantine", [{"servers": [0], "count": 1,
                                                   "behaviours": [{"kind": "silent"}]}])),
        ("servers_empty", with_("byzantine", [{"servers": [],
                                               "behaviours": [{"kind": "silent"}]}])),
        ("behaviours_empty", with_("byzantine", [{"count": 1, "behaviours": []}])),
        ("count_above_n", with_("byzantine", [{"count": 5, "behaviours": [{"kind": "silent"}]}],
                                with_("allow_unsafe", True))),
        ("kind_missing", with_behaviour({"from_s": 1})),
        ("silent_param", with_behaviour({"kind": "silent", "k": 1})),
        ("crash_from", with_behaviour({"kind": "crash", "from_s": 1})),
        ("forge_on_signed", with_behaviour({"kind": "forge"}, SV)),
        ("forge_on_sync_signed", with_behaviour({"kind": "forge"}, {"name": "sync-threshold",
                                                                    "data": "self-verifying"})),
        ("forge_value_negative", with_behaviour({"kind": "forge", "value": -1})),
        ("stale_k_zero", with_behaviour({"kind": "stale", "k": 0})),
        ("stale_which_unknown", with_behaviour({"kind": "stale", "which": "newest"})),
        ("equivocate_forge_on_signed", with_behaviour({"kind": "equivocate", "lie": "forge"}, SV)),
        ("omit_type_unknown", with_behaviour({"kind": "omit", "types": ["ack"]})),
        ("omit_clients_not_list", with_behaviour({"kind": "omit", "clients": 1})),
        ("slow_delay_bad", with_behaviour({"kind": "slow", "delay": {"dist": "uniform"}})),
        ("margin_above_bits", with_behaviour({"kind": "ts-inflate", "margin": 256},
                                             timestamp_bits=8)),
        ("from_negative", with_behaviour({"kind": "silent", "from_s": -1})),
        ("limits_time_zero", with_("limits.max_sim_time_s", 0)),
        ("limits_messages_zero", with_("limits.max_messages", 0)),
        ("sweep_empty", with_("sweep", {})),
        ("sweep_values_empty", with_("sweep", {"seed": []})),
        ("sweep_bad_path", with_("sweep", {"protocol..f": [1]})),
        ("sweep_of_sweep", with_("sweep", {"sweep.x": [1]})),
        ("fault_bursty_lossy", with_("network", {"faults": [
            {"kind": "bursty-loss", "p_good_bad": 0.1, "p_bad_good": 0.5}]})),
        ("fault_bursty_good_lossy", with_("network", {"faults": [
            {"kind": "bursty-loss", "p_good_bad": 0, "p_bad_good": 0.5, "loss_good": 0.1}]})),
        ("fault_hold_forever", with_("network", {"faults": [
            {"kind": "partition", "groups": [["server:0"]], "mode": "hold"}]})),
        ("fault_param_of_other_kind", with_("network", {"faults": [
            {"kind": "delay", "probability": 0.5, "delay": {"dist": "constant", "value_s": 1}}]})),
        ("fault_groups_empty", with_("network", {"faults": [
            {"kind": "partition", "groups": [[]], "mode": "hold", "until_s": 1}]})),
        ("fault_pattern_bad", with_("network", {"faults": [
            {"kind": "duplicate", "probability": 0.5, "from": "server:2-1"}]})),
        ("groups_overlap", with_("network", {"faults": [
            {"kind": "partition", "groups": [["server:0-1"], ["server:1"]], "mode": "hold",
             "until_s": 1}]})),
        ("fault_pattern_above_n", with_("network", {"faults": [
            {"kind": "duplicate", "probability": 0.5, "from": "server:0-9"}]})),
        ("fifo_on_bandwidth", with_("network", {"model": "bandwidth", "links": [
            {"from": "*", "to": "*", "fifo": True}]})),
        ("placement_without_platform", with_("network", {"placement": [
            {"nodes": "*", "hosts": "*"}]})),
        ("pre_gst_on_async", with_("network", {"pre_gst_delay": {"dist": "constant",
                                                                  "value_s": 1}})),
        ("sweep_too_many_runs", with_("sweep", {"seed": list(range(101)),
                                                "workload.clients": list(range(1, 101))})),
    ]
    yield from m


# Reader's "expected one of A, B; got 'zzz'" (or "... or a parameter of K (A, B); got") lists.
def reader_keys(doc, name):
    code, out = run_validate(doc, name)
    line = out.strip()
    m = re.search(r"expected (.*?)[;,] got 'zzz_unknown'", line)
    if code != 2 or not m:
        problems.append(f"{name}: expected an unknown-key error, got: {line}")
        return set()
    text = re.sub(r"\s*\(\S+ takes no \w+\)", "", m.group(1))
    keys = set()
    for part in re.split(r" or an? (?:option|parameter) of \S+ ", text):
        part = part.strip().removeprefix("one of ").strip("()")
        keys |= {k.strip() for k in part.split(",") if k.strip()}
    return keys


def check_key_sets(schema):
    defs = schema["$defs"]
    unknown = "zzz_unknown"

    def compare(name, reader, schema_keys):
        if reader != set(schema_keys):
            problems.append(f"keys of {name}: reader {sorted(reader)} != "
                            f"schema {sorted(schema_keys)}")

    compare("the top level", reader_keys(with_(unknown, 1), "keys_top"), schema["properties"])
    for section in ["workload", "network", "limits"]:
        compare(section, reader_keys(with_(section + "." + unknown, 1), "keys_" + section),
                defs[section]["properties"])
    compare("links", reader_keys(with_("network.links.0." + unknown, 1), "keys_link"),
            defs["link"]["properties"])
    compare("byzantine entries", reader_keys(with_("byzantine.0." + unknown, 1), "keys_entry"),
            defs["byzantine_entry"]["properties"])
    for rule in defs["protocol"]["allOf"]:
        name = rule["if"].get("properties", {}).get("name", {}).get("const")
        if name is None:
            continue
        doc = with_("protocol", {"name": name, unknown: 1})
        compare("protocol " + name, reader_keys(doc, "keys_protocol_" + name),
                rule["then"]["propertyNames"]["enum"])
    for rule in defs["behaviour"]["allOf"]:
        kind = rule["if"]["properties"]["kind"]["const"]
        doc = with_behaviour({"kind": kind, unknown: 1})
        compare("behaviour " + kind, reader_keys(doc, "keys_behaviour_" + kind),
                rule["then"]["properties"])
    for rule in defs["distribution"]["allOf"]:
        dist = rule["if"]["properties"]["dist"]["const"]
        doc = with_("workload.think_time", {"dist": dist, unknown: 1})
        compare("distribution " + dist, reader_keys(doc, "keys_dist_" + dist),
                rule["then"]["properties"])


def main():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    shipped = [p for p in sorted((SOURCE / "scenarios").glob("*.json")) if p.name != "schema.json"]
    shipped.append(SOURCE / "tests/bad_inputs/valid_base.json")
    for path in shipped:
        errors = schema_errors(validator, json.loads(path.read_text()))
        if errors:
            problems.append(f"{path.name}: the schema rejects a shipped scenario: {errors[0]}")
        code, out = run_validate(path.read_text(), "shipped_" + path.stem)
        if code != 0:
            problems.append(f"{path.name}: bqsim validate rejects a shipped scenario: "
                            f"{out.strip()}")

    valid = list(valid_corpus())
    for name, doc in valid:
        code, out = run_validate(doc, "valid_" + name)
        if code != 0:
            problems.append(f"valid {name}: bqsim validate rejects it: {out.strip()}")
        errors = schema_errors(validator, doc)
        if errors:
            problems.append(f"valid {name}: the schema rejects it: {errors[0]}")

    invalid = list(invalid_corpus())
    seen = set()
    for name, doc in invalid:
        seen.add(name)
        code, out = run_validate(doc, "invalid_" + name.removesuffix(".json"))
        if code != 2 or out.count("\n") != 1 or not out.startswith("error: "):
            problems.append(f"invalid {name}: bqsim validate did not refuse it in one line "
                            f"(exit {code}): {out.strip()}")
        try:
            parsed = json.loads(doc) if isinstance(doc, str) else doc
        except json.JSONDecodeError:
            continue  # not JSON: nothing for a schema to accept
        errors = schema_errors(validator, parsed)
        if name in READER_ONLY and errors:
            problems.append(f"invalid {name}: listed as reader-only ({READER_ONLY[name]}) but "
                            f"the schema rejects it too ({errors[0]}): take it off the list")
        if name not in READER_ONLY and not errors:
            problems.append(f"invalid {name}: the reader refuses it ({out.strip()}) but the "
                            "schema accepts it")
    for name in READER_ONLY:
        if name not in seen:
            problems.append(f"reader-only case {name} is not in the corpus")

    check_key_sets(schema)

    for p in problems:
        print(p)
    print(f"{len(shipped)} shipped, {len(valid)} valid and {len(invalid)} invalid scenarios "
          f"({len(READER_ONLY)} reader-only); {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        status = main()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(status)
