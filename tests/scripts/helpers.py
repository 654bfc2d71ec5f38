"""What the script tests share: where the repository and the bqsim binary under test are,
running a script as a user would, small scenarios, and finding processes of a binary."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
BQSIM = os.environ.get("BQSIM") or str(REPO / "build" / "bqsim")
sys.path.insert(0, str(SCRIPTS))
sys.dont_write_bytecode = True


def run_script(name, *args, env=None, timeout=600, **kw):
    """scripts/NAME with this interpreter (Debian's python3 under ctest) and the binary under
    test; returns the CompletedProcess (text)."""
    full_env = dict(os.environ, BQSIM=BQSIM, PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    return subprocess.run([sys.executable, str(SCRIPTS / name), *map(str, args)],
                          capture_output=True, text=True, env=full_env, timeout=timeout, **kw)


def start_script(name, *args, env=None, **kw):
    full_env = dict(os.environ, BQSIM=BQSIM, PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    return subprocess.Popen([sys.executable, str(SCRIPTS / name), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=full_env, **kw)


def temp_dir(test):
    """A fresh directory removed after the test (kept, and named, if $BQSIM_KEEP_TEST_DIRS
    is set: for looking at a failure)."""
    d = Path(tempfile.mkdtemp(prefix="bqsim-scripts-"))
    if os.environ.get("BQSIM_KEEP_TEST_DIRS"):
        print(f"\n{test.id()}: keeping {d}", file=sys.stderr)
    else:
        test.addCleanup(shutil.rmtree, d, True)
    return d


def write_scenario(directory, doc, name="scenario.json"):
    path = Path(directory) / name
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def small_sweep(name="sweep-test", ops=40, clients=3):
    """2 protocols × 2 values of f, each run a fraction of a second. Random delays, so that
    every latency statistic differs from the others."""
    return {"name": name, "protocol": {"name": "sbq-masking", "f": 1},
            "workload": {"clients": clients, "ops_per_client": ops, "read_fraction": 0.7,
                         "think_time": {"dist": "exponential", "mean_s": 0.002}},
            "network": {"delay": {"dist": "lognormal", "median_s": 0.001, "sigma": 0.6}},
            "sweep": {"protocol.name": ["sbq-masking", "mr-masking"], "protocol.f": [1, 2]}}


def private_binary(test, directory):
    """A copy of bqsim under a name no other test uses, so that `is any of *our* bqsim
    processes still alive` can be asked while other tests run bqsim too."""
    path = Path(directory) / "bqsim-private"
    shutil.copy2(BQSIM, path)
    return str(path)


def processes_of(binary):
    """PIDs whose executable is `binary`."""
    target = os.path.realpath(binary)
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/exe") == target:
                pids.append(int(entry))
        except OSError:
            continue
    return pids


def expand(scenario, *args):
    p = subprocess.run([BQSIM, "expand", str(scenario), *map(str, args)], capture_output=True,
                       text=True, check=True)
    return [json.loads(line) for line in p.stdout.splitlines()]


def db_rows(db):
    """The run_dir of every row of a results database's runs table."""
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT run_dir FROM runs")]
    finally:
        con.close()
