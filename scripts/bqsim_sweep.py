"""Scenario files with a `sweep` block, for scripts/bqsim-batch: reading and checking them,
expanding the cross product of the sweep into concrete scenarios, and naming each point's
directory. Standard library only. Errors are UserError, reported by the caller as one line:
`FILE: /json/pointer: expected ..., got ...` (STYLE.md, "Input, errors, output").
"""
import copy
import hashlib
import itertools
import json
import re
from pathlib import Path


class UserError(Exception):
    """Bad input: reported as one line, exit 2."""


def type_name(v):
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(v), "a number")


def pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def value_text(v):
    return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), sort_keys=True)


def label_parts(path, v):
    """`path=value` pieces of a directory label; an object value reads as its dotted sub-paths
    (network.delay.dist=exponential) and an array as its items joined by '+'."""
    if isinstance(v, dict) and v:
        return [p for k in sorted(v) for p in label_parts(f"{path}.{k}", v[k])]
    if isinstance(v, list):
        return [f"{path}=" + "+".join(value_text(x) for x in v)]
    return [f"{path}={value_text(v)}"]


def sanitise(text):
    """A file-system-safe directory name: [A-Za-z0-9._,=+@-], no leading dot or dash, short."""
    s = re.sub(r"[^A-Za-z0-9._,=+@-]+", "_", text).lstrip(".-") or "_"
    if len(s) > 200:  # stay well under NAME_MAX (255) and keep labels distinct
        s = s[:180] + "~" + hashlib.sha1(text.encode()).hexdigest()[:12]
    return s


def set_path(doc, path, value):
    """Sets a dotted path in a JSON document; creates missing objects, indexes arrays by
    integer components. Raises ValueError with a reason."""
    parts = path.split(".")
    node = doc
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[:i]) or "the scenario"
        if isinstance(node, list):
            if not part.isdigit():
                raise ValueError(f"{where} is an array; expected an index, got '{part}'")
            if int(part) >= len(node):
                raise ValueError(f"index {part} out of range: {where} has {len(node)} elements")
            key = int(part)
        elif isinstance(node, dict):
            key = part
            if not last and key not in node:
                node[key] = {}
        else:
            raise ValueError(f"{where} is {type_name(node)}, not an object or array")
        if last:
            node[key] = value
        else:
            node = node[key]


def load_scenario(path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{path}: line {e.lineno} column {e.colno}: invalid JSON: {e.msg}")
    if not isinstance(doc, dict):
        raise UserError(f"{path}: /: expected an object, got {type_name(doc)}")
    name = doc.get("name", Path(path).stem)
    if not isinstance(name, str) or not name:
        raise UserError(f"{path}: /name: expected a non-empty string, got {type_name(name)}")
    seed = doc.get("seed", 1)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UserError(f"{path}: /seed: expected a non-negative integer, got {value_text(seed)}")
    # A relative platform file is relative to this scenario; the expanded copies live elsewhere.
    net = doc.get("network")
    if isinstance(net, dict) and isinstance(net.get("platform_file"), str):
        platform = Path(net["platform_file"])
        if not platform.is_absolute():
            net["platform_file"] = str((Path(path).resolve().parent / platform).resolve())
    sweep = doc.pop("sweep", {})
    if not isinstance(sweep, dict):
        raise UserError(f"{path}: /sweep: expected an object of dotted paths to lists, "
                        f"got {type_name(sweep)}")
    for key in sorted(sweep):
        where = f"{path}: {pointer('sweep', key)}"
        if not key or "" in key.split("."):
            raise UserError(f"{where}: expected a dotted field path, got '{key}'")
        if key.split(".")[0] in ("seed", "sweep"):
            raise UserError(f"{where}: cannot sweep '{key}'; use --seeds or --seed-list for seeds")
        if not isinstance(sweep[key], list) or not sweep[key]:
            raise UserError(f"{where}: expected a non-empty array of values, "
                            f"got {type_name(sweep[key])}")
    return doc, name, seed, sweep


def expand(path, doc, sweep):
    """Yields (label, point, scenario) for every point of the sweep's cross product, with the
    paths in sorted order; point is [(path, value)], scenario the document with its values set.
    Raises UserError when a value cannot be applied or two points get one directory name."""
    axes = sorted(sweep)
    labels = {}
    for values in itertools.product(*(sweep[a] for a in axes)):
        point = list(zip(axes, values))
        label = sanitise(",".join(p for a, v in point for p in label_parts(a, v))) \
            if point else "default"
        if label in labels:
            raise UserError(f"{path}: sweep points {labels[label]} and {point} get the same "
                            f"directory name '{label}'")
        labels[label] = point
        scenario = copy.deepcopy(doc)
        for a, v in point:
            try:
                set_path(scenario, a, copy.deepcopy(v))
            except ValueError as e:
                raise UserError(f"{path}: {pointer('sweep', a)}: cannot apply: {e}")
        yield label, point, scenario
