"""What broke in a run, from its summary.json: the promised semantics (a safety violation, by
kind) or liveness (an operation never completed). Used by bqsim-search --target and by
bqsim-servers. Standard library only.
"""
import json

TARGETS = ("any", "safety", "liveness")
LEVELS = {"safe": 0, "regular": 1, "atomic": 2}


def safety_kinds(summary):
    """The kinds of the violations that break the run's promised semantics, most frequent
    first (ties by name): a violation breaks the promise when the weakest semantics it
    violates is at or below the promised one (PROTOCOLS.md §2)."""
    checker = summary.get("checker", {})
    promised = summary.get("promised", "safe")
    if checker.get(promised, True):
        return []
    counts = {}
    for v in checker.get("violations", []):
        if v.get("kind") == "stuck":
            continue
        if LEVELS.get(v.get("semantics"), 0) <= LEVELS.get(promised, 0):
            counts[v["kind"]] = counts.get(v["kind"], 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def live_broken(summary):
    """An operation never completed (stuck) or the run hit its time limit."""
    checker = summary.get("checker", {})
    return bool(checker.get("stuck")) or bool(checker.get("time_limit_hit"))


def broke(summary):
    """['safety:<kind>', 'liveness'] as far as each applies, safety first."""
    out = []
    kinds = safety_kinds(summary)
    if kinds:
        out.append(f"safety:{kinds[0]}")
    if live_broken(summary):
        out.append("liveness")
    return out


def matches(summary, target):
    """Whether a run that exited 1 counts as found for --target."""
    if target == "safety":
        return bool(safety_kinds(summary))
    if target == "liveness":
        return live_broken(summary)
    return True


def read_summary(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}
