#!/usr/bin/env python3
"""Measure how much stack the SimGrid engine's node actors use, to size their stacks
(contexts/stack-size in sim/engine/simulation.cc). Runs every point of every given scenario
(default: scenarios/*.json, sweeps expanded) on the SimGrid engine with BQSIM_MEASURE_STACK
set: each actor paints its unused stack when it starts and finds the deepest byte written when
it ends (sim/engine/stack_probe.h). Prints the deepest use per scenario and over all of them.
Standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bqsim_sweep import UserError, expand, load_scenario  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"deepest actor stack use (\d+) bytes below the actor's first frame, "
                  r"of a (\d+)-byte stack")


def main(argv):
    p = argparse.ArgumentParser(prog="measure_stack.py", description=__doc__.split("\n\n")[0])
    p.add_argument("scenarios", nargs="*", help="scenario files (default: scenarios/*.json)")
    p.add_argument("--bqsim", default=str(REPO / "build" / "bqsim"), help="bqsim binary")
    args = p.parse_args(argv)
    files = args.scenarios or sorted(str(f) for f in (REPO / "scenarios").glob("*.json")
                                     if f.name != "schema.json")
    env = dict(os.environ, BQSIM_MEASURE_STACK="1")
    deepest, size = 0, None
    with tempfile.TemporaryDirectory(prefix="bqsim-stack-") as tmp:
        for f in files:
            doc, name, _, sweep = load_scenario(f)
            worst = 0
            for label, _, scenario in expand(f, doc, sweep):
                path = Path(tmp) / "scenario.json"
                path.write_text(json.dumps(scenario))
                run = subprocess.run([args.bqsim, "run", str(path), "--out", str(Path(tmp) / "out"),
                                      "-q", "--engine", "simgrid"], env=env,
                                     capture_output=True, text=True)
                m = LINE.search(run.stderr)
                if run.returncode not in (0, 1) or not m:
                    print(f"error: {f} ({label}): bqsim exited {run.returncode}: "
                          f"{run.stderr.strip().splitlines()[-1:] or '(no output)'}",
                          file=sys.stderr)
                    return 1
                worst = max(worst, int(m.group(1)))
                size = int(m.group(2))
            print(f"{name}: {worst} bytes")
            deepest = max(deepest, worst)
    print(f"deepest actor stack use: {deepest} bytes of {size} ({size / max(deepest, 1):.0f}x)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
