#!/usr/bin/env python3
"""Figures from bqsim runs, each point aggregated over seeds with its 95% interval.

  bqsim-plot figures DIR... --out FIGDIR   the figure set: one file per figure, its data as CSV
  bqsim-plot figure NAME DIR... -o FILE     one figure of the set (format from the extension)
  bqsim-plot flow RUN --op ID -o FILE       the message-flow diagram of one operation
  bqsim-plot DIR... -o FILE.pdf             every figure of the set as pages of one PDF

Run it through scripts/bqsim-plot, which picks a python3 that has matplotlib, numpy and scipy.
A run is a directory with manifest.json (written last by bqsim; directories without it are
incomplete: listed on the verdict table and counted against the sweep's grid); directories
are searched recursively. Runs of one configuration (the resolved scenario without its seed)
are aggregated over their seeds; runs of different configurations never are.
"""
import argparse
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bqsim_common import Parser, UserError, main_guard, positive  # noqa: E402
from plot_collect import load_runs  # noqa: E402
from plot_names import canonical  # noqa: E402
from plot_style import FORMATS, SIZES, Look, output_format  # noqa: E402

COMMANDS = ("figures", "figure", "flow")
FIXED = ("latency-cdf", "read-latency-vs-n", "timeline", "verdicts")




def common_options(p):
    p.add_argument("--x", action="append", default=[], metavar="PATH",
                   help="a swept field to plot against (protocol.f, protocol.n, "
                        "network.loss_probability, protocol.timeout_s; short: f, n, loss, T); "
                        "repeatable; default: every numeric field that varies between runs")
    p.add_argument("--label-by", metavar="FIELDS",
                   help="comma-separated fields naming the lines (default: every field that "
                        "varies, except x); runs of one line and x that differ in another "
                        "field are refused, never averaged")
    p.add_argument("--size", choices=sorted(SIZES),
                   help="column: 3.3 in wide; page: 7 in wide (default: column, but page "
                        "for the one-PDF report)")
    p.add_argument("--log-x", action="store_true", help="latency CDFs on a log x axis")
    p.add_argument("--timeline-run", type=Path, metavar="RUN",
                   help="the run the timeline shows (default: the first with a violation or a "
                        "stuck operation, else with scripted faults, else the first)")
    p.add_argument("--resamples", type=positive, default=2000,
                   help="bootstrap resamples per percentile interval (default: %(default)s)")
    p.add_argument("--bootstrap-seed", type=int, default=1, metavar="S",
                   help="seed of the bootstrap's generator (default: %(default)s)")


def parse_args(argv):
    cmd = argv[0] if argv and argv[0] in COMMANDS else "report"
    rest = argv[1:] if cmd != "report" else argv
    p = Parser(prog=f"bqsim-plot{'' if cmd == 'report' else ' ' + cmd}",
               description=__doc__.split("\n\n")[0],
               formatter_class=argparse.RawDescriptionHelpFormatter,
               epilog=__doc__.split("\n\n")[1] + "\nExit status: 0 written; 2 bad input or "
                      "usage (one line on stderr).")
    if cmd == "flow":
        p.add_argument("run", type=Path, metavar="RUN")
        p.add_argument("--op", required=True, metavar="ID",
                       help="the operation's op_id (ops.csv), as a number or client:index")
        p.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="default: RUN/flow-op-ID.pdf")
        p.add_argument("--size", choices=sorted(SIZES), default="page")
        p.add_argument("--format", choices=FORMATS)
        args = p.parse_args(rest)
    else:
        if cmd == "figure":
            p.add_argument("name", metavar="NAME",
                           help="latency-vs-X, messages-vs-X, faults-vs-X (X: f, n, t, loss, "
                                "timeout or a dotted field), " + ", ".join(FIXED))
        p.add_argument("dirs", nargs="+", metavar="DIR")
        if cmd == "figures":
            p.add_argument("--out", required=True, type=Path, metavar="FIGDIR")
            p.add_argument("--format", choices=FORMATS, default="pdf")
            p.add_argument("--only", metavar="NAMES",
                           help="comma-separated figure names (or prefixes) to draw")
        else:
            p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
            p.add_argument("--format", choices=FORMATS)
        common_options(p)
        args = p.parse_args(rest)
        args.x = [canonical(x) for x in args.x]
        for x in args.x:
            if x != "name" and ("." not in x or "" in x.split(".")):
                p.error(f"--x: expected a dotted scenario path such as protocol.n, got '{x}'")
    args.cmd = cmd
    return args


def main(argv):
    args = parse_args(argv)
    if args.cmd == "flow":
        from fig_flow import flow_command
        return flow_command(args)
    look = Look(args.size or ("page" if args.cmd == "report" else "column"))
    if args.cmd == "figures":
        fmt = args.format
        if args.out.exists() and not args.out.is_dir():
            raise UserError(f"--out {args.out}: not a directory")
    else:
        fmt = output_format(args.output, args.format)
        if args.cmd == "report" and fmt != "pdf":
            raise UserError(f"{args.output}: several figures go to one file only as a "
                            f"multi-page .pdf; for .{fmt} use `bqsim-plot figures DIR --out "
                            f"FIGDIR --format {fmt}` or `bqsim-plot figure NAME DIR -o FILE`")
    runs, incomplete = load_runs(args.dirs)
    from plot_set import draw_set
    return draw_set(args, runs, incomplete, look, fmt)


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
