"""A single-node Slurm cluster in a temporary directory, for tests: munged, slurmctld and
slurmd from Debian's munge and slurm-wlm, on free ports with their own socket, key, state and
log files, so that they never touch a Slurm or munge the machine already runs. Started as
children of the test (each in its own session) and stopped by it, even when the test fails.
See ../../../shared/SCALE_OUT_NOTES.md for where the settings come from.
"""
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
START_TIMEOUT_S = 30


def missing():
    """The daemons and commands the cluster needs that are not installed."""
    tools = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel",
             "scontrol", "sinfo"]
    return [t for t in tools if not (shutil.which(t) or os.path.exists(f"/usr/sbin/{t}"))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name):
    return shutil.which(name) or f"/usr/sbin/{name}"


class SlurmCluster:
    def __init__(self, root, cpus=2):
        self.root = Path(root)
        self.cpus = cpus
        self.procs = {}
        self.conf = self.root / "slurm.conf"
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))

    def _write_config(self):
        r = self.root
        for d in ("munge", "state", "spool", "log", "run"):
            (r / d).mkdir(parents=True, exist_ok=True)
        # The socket's directory must be reachable by everyone (munge refuses otherwise).
        os.chmod(r, 0o755)
        os.chmod(r / "munge", 0o755)
        self.socket = r / "munge" / "munge.socket"
        key = r / "munge" / "munge.key"
        subprocess.run([tool("mungekey"), "-c", "-k", str(key)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.chmod(key, 0o600)
        self.key = key
        user = "root" if os.geteuid() == 0 else os.environ.get("USER") or "nobody"
        # slurmd loads a cgroup plugin even when no plugin uses cgroups (proctrack/linuxproc,
        # task/none below). Slurm 22.05's default, autodetect, fails where /sys/fs/cgroup is
        # not mounted (a chroot) and its cgroup/v2 wants a systemd scope for slurmd; the v1
        # plugin touches no hierarchy until a controller is asked for, which none is here.
        (r / "cgroup.conf").write_text("CgroupPlugin=cgroup/v1\n", encoding="utf-8")
        self.conf.write_text(f"""\
ClusterName=bqsimtest
SlurmctldHost=localhost
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.socket}
StateSaveLocation={r / 'state'}
SlurmdSpoolDir={r / 'spool'}
SlurmctldPidFile={r / 'run' / 'slurmctld.pid'}
SlurmdPidFile={r / 'run' / 'slurmd.pid'}
SlurmctldLogFile={r / 'log' / 'slurmctld.log'}
SlurmdLogFile={r / 'log' / 'slurmd.log'}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MailProg=/bin/true
ReturnToService=2
KillWait=2
MinJobAge=300
InactiveLimit=0
SlurmctldTimeout=10
SlurmdTimeout=10
NodeName=localhost CPUs={self.cpus} State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
""", encoding="utf-8")

    def _spawn(self, name, cmd):
        log = open(self.root / "log" / f"{name}.out", "wb")
        self.procs[name] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=self.env,
                                            start_new_session=True)
        log.close()

    def start(self):
        self._write_config()
        self._spawn("munged", [tool("munged"), "-F", f"--socket={self.socket}",
                               f"--key-file={self.key}",
                               f"--pid-file={self.root / 'run' / 'munged.pid'}",
                               f"--log-file={self.root / 'log' / 'munged.log'}",
                               f"--seed-file={self.root / 'munge' / 'munged.seed'}",
                               "--force"])
        self._wait(lambda: self.socket.exists(), "munged's socket")
        self._spawn("slurmctld", [tool("slurmctld"), "-D", "-i", "-f", str(self.conf)])
        self._spawn("slurmd", [tool("slurmd"), "-D", "-N", "localhost", "-f", str(self.conf)])
        self._wait(self._node_idle, "the node to become idle")
        return self

    def _node_idle(self):
        p = subprocess.run([tool("sinfo"), "-h", "-N", "-o", "%t"], capture_output=True,
                           text=True, env=self.env)
        return p.returncode == 0 and p.stdout.strip() == "idle"

    def _wait(self, ready, what):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError(f"{name} exited {p.returncode} while waiting for {what}; "
                                       f"logs in {self.root / 'log'}: {self.logs()}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"timed out waiting for {what}; {self.logs()}")

    def logs(self):
        text = []
        for f in sorted((self.root / "log").glob("*")):
            lines = f.read_text(errors="replace").splitlines()[-5:]
            text.append(f"{f.name}: " + " | ".join(lines))
        return "\n".join(text)

    def stop(self):
        """Stops the daemons (scontrol shutdown, then signals), whatever state they are in."""
        if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
            subprocess.run([tool("scontrol"), "shutdown"], env=self.env, capture_output=True,
                           timeout=15)
        for name in ("slurmd", "slurmctld", "munged"):
            p = self.procs.get(name)
            if p is None:
                continue
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
