"""What every bqsim script shares: the one-line error convention (UserError, Parser, main_guard),
finding the bqsim binary and a python3 that has the modules a script needs, running bqsim as a
child process that can be stopped as a whole, and the catalogue `bqsim list --json` prints
(behaviours and message types come from the binary, never from a list kept here).
Standard library only.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATUS = {0: "ok", 1: "violation", 2: "bad-input"}  # bqsim's exit statuses (INTERFACE.md)


class UserError(Exception):
    """Bad input: reported as one line `error: ...`, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exits 2, as bqsim does."""

    def error(self, message):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def main_guard(main, argv, codes=()):
    """Runs main(argv) and turns the script's exceptions into exit statuses: UserError is one
    line and 2; an exception class listed in `codes` as (class, status) is one line and that
    status; Ctrl-C is 130; a closed pipe (| head) is 1."""
    try:
        sys.exit(main(argv))
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\nerror: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except tuple(c for c, _ in codes) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(dict(codes)[type(e)])


def positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'")
    return int(text)


def write_json(path, doc):
    """A temp file renamed into place, so a reader never sees half a file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def find_bqsim(arg=None):
    """The bqsim binary: `arg`, else $BQSIM, else build/bqsim of this repository (absolute)."""
    path = Path(arg or os.environ.get("BQSIM") or HERE.parent / "build" / "bqsim")
    if not path.is_file() or not os.access(path, os.X_OK):
        raise UserError(f"bqsim binary not found at {path}; build it with scripts/setup.sh")
    return str(path.resolve())


def find_python(modules):
    """The first python3 that imports every module in `modules`: $BQSIM_PYTHON, Debian's
    /usr/bin/python3 (where python3-matplotlib, python3-pandas install), the running one, then
    python3 on PATH (a version-managed python3 usually lacks Debian's modules). None if none."""
    probe = "import " + ", ".join(modules) if modules else "pass"
    seen = []
    for py in (os.environ.get("BQSIM_PYTHON"), "/usr/bin/python3", sys.executable,
               shutil.which("python3")):
        if not py or py in seen or not os.access(py, os.X_OK):
            continue
        seen.append(py)
        if subprocess.run([py, "-c", probe], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0:
            return py
    return None


# --- child processes ---------------------------------------------------------------------

class Children:
    """The bqsim processes a script is running, each in its own process group, so that one
    signal stops a child and everything it started, and none outlives the script."""

    def __init__(self):
        self._procs = {}
        # Reentrant: request_stop() runs in a signal handler, which may interrupt this
        # thread while it holds the lock in add() or remove().
        self._lock = threading.RLock()
        self.stopping = None  # the signal that asked everyone to stop, once one did

    def add(self, key, proc):
        with self._lock:
            self._procs[key] = proc
            late = self.stopping
        if late:  # started while a stop was requested: it must not survive either
            signal_group(proc, late)

    def remove(self, key):
        with self._lock:
            self._procs.pop(key, None)

    def live(self):
        with self._lock:
            return list(self._procs.values())

    def kill_where(self, doomed, sig=signal.SIGKILL):
        """Signals every child whose key satisfies doomed(key)."""
        with self._lock:
            victims = [p for k, p in self._procs.items() if doomed(k)]
        for p in victims:
            signal_group(p, sig)

    def request_stop(self, sig=signal.SIGTERM, grace_s=10.0):
        """Sends `sig` to every child (and to any started later) and SIGKILL to those still
        alive grace_s later. Returns at once: safe in a signal handler."""
        with self._lock:
            first = self.stopping is None
            self.stopping = sig
            procs = list(self._procs.values())
        for p in procs:
            signal_group(p, sig)
        if first:
            timer = threading.Timer(grace_s, self._kill_survivors)
            timer.daemon = True
            timer.start()

    def _kill_survivors(self):
        for p in self.live():
            signal_group(p, signal.SIGKILL)


def signal_group(proc, sig):
    """Signals the process group of a child started by run_child (its own group)."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def signal_name(sig):
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


class Result:
    """How a child ended: exit code (negative: killed by that signal), note (None, "timeout"
    or "interrupted"), stdout and stderr bytes, wall-clock seconds."""

    def __init__(self, code, note, out, err, seconds):
        self.code, self.note, self.out, self.err, self.seconds = code, note, out, err, seconds

    def error_line(self):
        """The last `error:` line of stderr, else its last line."""
        lines = [l for l in self.err.decode("utf-8", "replace").splitlines() if l.strip()]
        errors = [l for l in lines if l.startswith("error:")]
        return (errors or lines or [""])[-1]


def run_child(cmd, children=None, key=None, timeout=None, cwd=None):
    """Runs cmd in its own process group, registered in `children` under `key` while it
    runs; kills the group after `timeout` seconds (note "timeout"). A child stopped by
    children.request_stop() gets note "interrupted". Raises OSError if cmd cannot start."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
    if children is not None:
        children.add(key, proc)
    note = None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        signal_group(proc, signal.SIGKILL)
        out, err = proc.communicate()
        note = "timeout"
        err += f"\nkilled after {timeout} s of wall-clock time\n".encode()
    finally:
        if children is not None:
            children.remove(key)
    if children is not None and children.stopping and proc.returncode != 0:
        note = "interrupted"
    return Result(proc.returncode, note, out, err, time.monotonic() - start)


def status_of(code, note=None):
    """ok, violation, bad-input, crash (SIGSEGV), or the note (timeout, interrupted)."""
    if note:
        return note
    if code is None:
        return "not run"
    if code < 0:
        return f"crash ({signal_name(-code)})"
    return STATUS.get(code, "crash")


# --- the catalogue -----------------------------------------------------------------------

_CATALOGUE = {}


def catalogue(bqsim):
    """`bqsim list --json`, parsed (once per binary); raises UserError if it fails."""
    if bqsim not in _CATALOGUE:
        try:
            p = subprocess.run([bqsim, "list", "--json"], capture_output=True, text=True)
        except OSError as e:
            raise UserError(f"cannot run {bqsim}: {e.strerror or e}")
        if p.returncode != 0:
            raise UserError(f"{bqsim} list --json failed: "
                            f"{(p.stderr.strip().splitlines() or ['no message'])[-1]}")
        _CATALOGUE[bqsim] = json.loads(p.stdout)
    return _CATALOGUE[bqsim]


def behaviours(bqsim):
    """The registered adversary behaviours, in the binary's order (dicts with name,
    generic_data_only, params, summary)."""
    return catalogue(bqsim)["behaviours"]


def message_types(bqsim):
    """The message types as messages.csv names them, each a dict with name, direction
    (client->server or server->client) and operation (read or write: the kind of operation
    that sends it), in the binary's order."""
    return catalogue(bqsim)["messages"]
