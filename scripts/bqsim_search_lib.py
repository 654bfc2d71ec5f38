"""Random adversary scripts for scripts/bqsim-search: what `bqsim list` says is registered, and
how one trial's `byzantine` block is drawn from a PRNG seeded by (search seed, trial number).
Standard library only. The draw is a pure function of its inputs (the trial's PRNG, the
registered behaviours, the run's bounds), so a search is reproducible whatever the parallelism.
"""
import hashlib
import random

from bqsim_common import UserError

COALITION = "search"  # every colluder of a trial names the same coalition (PROTOCOLS.md §6)


class Behaviour:
    def __init__(self, name, generic_only, params):
        self.name, self.generic_only, self.params = name, generic_only, params  # params: keys


def parse_list(catalogue):
    """The adversary behaviours of `bqsim list --json` (parsed): {name: Behaviour}, in its
    order."""
    return {b["name"]: Behaviour(b["name"], b["generic_data_only"], [p["key"] for p in b["params"]])
            for b in catalogue["behaviours"]}


def trial_rng(seed, trial):
    """The PRNG of one trial, seeded by (search seed, trial number) through SHA-256, so trials
    are independent and Python's seeding of strings never matters."""
    digest = hashlib.sha256(f"bqsim-search/{seed}/{trial}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class Bounds:
    """What a trial's script may range over. duration_s and delay_s come from a run of the
    scenario without Byzantine servers (its simulated end and half its median read latency)."""

    def __init__(self, n, k, clients, data, duration_s, delay_s, timestamp_bits, sync_bound_s,
                 behaviours, messages):
        self.n, self.k, self.clients, self.data = n, k, clients, data
        self.duration_s, self.delay_s = duration_s, delay_s
        self.timestamp_bits, self.sync_bound_s = timestamp_bits, sync_bound_s
        self.behaviours = behaviours  # [Behaviour] to draw from, already filtered by data kind
        # Message types as `bqsim list --json` names them (for `omit`), in its order: all of
        # them, what a server receives from clients, what it sends them.
        self.messages = [m["name"] for m in messages]
        self.requests = [m["name"] for m in messages if m["direction"] == "client->server"]
        self.replies = [m["name"] for m in messages if m["direction"] == "server->client"]


def applicable(behaviours, data, wanted=None):
    """The registered behaviours a trial may use against `data` ("generic" or
    "self-verifying"), restricted to `wanted` (names) if given; raises UserError."""
    names = list(behaviours)
    if wanted is None:
        return [b for b in behaviours.values() if data == "generic" or not b.generic_only]
    chosen = []
    for name in wanted:
        if name not in behaviours:
            raise UserError(f"--behaviours: expected one of {', '.join(names)}, got '{name}'")
        if behaviours[name].generic_only and data != "generic":
            raise UserError(f"--behaviours: expected behaviours possible against {data} data, "
                            f"got '{name}' (generic data only)")
        if behaviours[name] not in chosen:
            chosen.append(behaviours[name])
    return chosen


def _time(x):
    return float(f"{x:.6g}")  # readable scenarios; still exact once written


def _window(rng, b):
    """None (the whole run) in 40% of draws, else a start, an end or both within the run."""
    d, u = b.duration_s, rng.random()
    if u < 0.4:
        return {}
    start = _time(rng.uniform(0, 0.7 * d))
    end = _time(start + rng.uniform(0.1 * d, 0.8 * d))
    if u < 0.6:
        return {"from_s": start}
    if u < 0.7:
        return {"until_s": end}
    return {"from_s": start, "until_s": end}


def _delay(rng, b):
    """A delay distribution for `slow`: a few times the network's delay, sometimes far more.
    On a sync network it stays bounded (uniform below the bound), as the reader may require."""
    mean = b.delay_s * rng.choice([0.5, 2, 5, 20])
    if b.sync_bound_s is not None:
        return {"dist": "uniform", "min_s": 0, "max_s": _time(rng.uniform(0.1, 1) * b.sync_bound_s)}
    kind = rng.choice(["constant", "exponential", "uniform"])
    if kind == "constant":
        return {"dist": "constant", "value_s": _time(mean)}
    if kind == "exponential":
        return {"dist": "exponential", "mean_s": _time(mean)}
    return {"dist": "uniform", "min_s": 0, "max_s": _time(2 * mean)}


def _subset(rng, items):
    return sorted(rng.sample(items, rng.randint(1, len(items))), key=items.index)


def _params(rng, name, b):
    """Parameters of one behaviour in sensible random ranges; None for a behaviour this
    search does not know (it then runs with its defaults)."""
    top = 2 ** b.timestamp_bits - 1
    if name == "crash":
        return {"at_s": _time(rng.uniform(0, 0.8 * b.duration_s))}
    if name == "stale":
        if rng.random() < 0.5:
            return {"which": "oldest"}
        return {"which": "k-th-newest", "k": rng.randint(1, 4)}
    if name == "forge":
        p = {"coalition": COALITION}
        u = rng.random()
        if u < 0.3:
            p["ts_counter"] = min(top, rng.randint(0, 50))  # plausible: near real counters
        elif u < 0.5:
            p["ts_counter"] = top - rng.randint(0, 3)       # at the wrap point
        elif u < 0.6:
            p["ts_counter"] = min(top, 2 ** 62)             # the default, within the bits
        if rng.random() < 0.3:
            p["answer_ts_queries"] = True
        return p
    if name == "equivocate":
        lies = ["stale", "forge"] if b.data == "generic" else ["stale"]
        p = {"mode": rng.choice(["by-client", "by-request"]), "lie": rng.choice(lies)}
        if p["lie"] == "forge":  # the reader allows a coalition only for forged lies
            p["coalition"] = COALITION
        return p
    if name == "slow":
        return {"delay": _delay(rng, b)}
    if name == "omit":
        p = {"direction": rng.choice(["in", "out", "both"])}
        if rng.random() < 0.6:
            p["clients"] = _subset(rng, list(range(b.clients)))
        if rng.random() < 0.7:  # types that can travel that way, so the omission can fire
            p["types"] = _subset(rng, {"in": b.requests, "out": b.replies}
                                 .get(p["direction"], b.messages))
        return p
    if name == "ts-inflate":
        return {"margin": min(top, rng.choice([0, rng.randint(1, 10), rng.randint(10, 1000)]))}
    return None


def _behaviour(rng, beh, b):
    spec = {"kind": beh.name}
    params = _params(rng, beh.name, b) or {}
    # Only what the binary declares: a renamed parameter drops out, not the whole run.
    spec.update({k: v for k, v in params.items() if k in beh.params})
    if "at_s" not in beh.params:  # one that happens at at_s (crash) takes no window
        spec.update(_window(rng, b))
    return spec


def _script(rng, b):
    """One server's behaviours: one (60%), two (30%) or three, distinct, composed in order."""
    count = min(len(b.behaviours), rng.choices([1, 2, 3], weights=[6, 3, 1])[0])
    chosen = rng.sample(b.behaviours, count)
    return [_behaviour(rng, beh, b) for beh in chosen]


def draw_trial(rng, b):
    """(run seed, byzantine block) of one trial. The K servers are a random sample of the n;
    in half the trials they all run one shared script (colluders acting together, which is
    what breaks a quorum one server beyond f), otherwise each draws its own."""
    run_seed = rng.randrange(2 ** 32)
    servers = sorted(rng.sample(range(b.n), b.k))
    if rng.random() < 0.5:
        return run_seed, [{"servers": servers, "behaviours": _script(rng, b)}]
    return run_seed, [{"servers": [s], "behaviours": _script(rng, b)} for s in servers]


def describe(block):
    """`s0,s2: forge+slow; s1: stale` for progress lines."""
    return "; ".join(",".join(f"s{s}" for s in e["servers"]) + ": " +
                     "+".join(x["kind"] for x in e["behaviours"]) for e in block)
