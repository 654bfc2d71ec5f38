#!/usr/bin/env python3
"""Plot bqsim runs into one multi-page PDF: read latency CDFs, write latency CDFs (return and
effective completion), messages per operation by kind, and the checker's verdicts; with
--x PATH also latency (mean, p50, p99) against a swept scenario field, one line per remaining
label group, with slow reads, retransmissions and stuck or violating runs marked.

Run it through scripts/bqsim-plot, which picks a python3 that has matplotlib and numpy.
A run is a directory with manifest.json (written last by bqsim: directories without it are
incomplete and skipped); batch directories are searched recursively. Runs that get the same
label are drawn as one line, so the seeds of one sweep point are merged.

The work is split by concept: plot_collect.py reads run directories and groups runs into
lines, plot_pages.py draws the CDF, message and verdict pages, plot_sweep.py the --x pages.
"""
import os
import sys
from pathlib import Path

# The sibling modules are imported from this script's own directory, whatever the working
# directory, and leave no __pycache__ in the repository.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # files only, never a display
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from plot_collect import LABEL_FIELDS, Run, UserError, find_runs, group_runs  # noqa: E402
from plot_pages import colours, latency_page, messages_page, verdict_pages  # noqa: E402
from plot_sweep import sweep_pages  # noqa: E402
from bqsim_common import Parser, main_guard  # noqa: E402


def parse_args(argv):
    p = Parser(prog="bqsim-plot", description=__doc__.split("\n\n")[0],
               epilog="Exit status: 0 written; 2 bad input (no runs found, unreadable files).")
    p.add_argument("dirs", nargs="+", metavar="RUN_DIR_OR_BATCH_DIR")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="PLOTS.pdf")
    p.add_argument("--label-by", metavar="FIELDS",
                   help="comma-separated label fields: " + ", ".join(LABEL_FIELDS) +
                        ", or dotted scenario paths (default: protocol,n,f,unsafe,sweep, "
                        "with name first when runs come from several scenarios); runs with "
                        "the same label are merged into one line")
    p.add_argument("--png-dir", type=Path, metavar="DIR", help="also write each page as a PNG")
    p.add_argument("--x", metavar="PATH",
                   help="a swept dotted scenario field (protocol.n, protocol.timeout_s, "
                        "network.loss_probability): adds pages plotting read and write latency "
                        "(mean, p50, p99), slow reads, retransmissions and stuck or violating "
                        "runs against it, one line per remaining label group")
    args = p.parse_args(argv)
    if args.x is not None and ("." not in args.x or "" in args.x.split(".")):
        p.error(f"--x: expected a dotted scenario path such as protocol.n, got '{args.x}'")
    for field in (args.label_by or "").split(",") if args.label_by is not None else []:
        if field not in LABEL_FIELDS and "." not in field:
            p.error(f"--label-by: unknown field '{field}'; valid: {', '.join(LABEL_FIELDS)}, "
                    f"or a dotted scenario path")
    return args


def main(argv):
    args = parse_args(argv)
    dirs, incomplete = find_runs(args.dirs)
    if incomplete:
        print(f"note: skipped {len(incomplete)} incomplete runs (no manifest.json), e.g. "
              f"{incomplete[0]}", file=sys.stderr)
    if not dirs:
        raise UserError(f"no complete run (a directory with manifest.json) under "
                        f"{', '.join(args.dirs)}")
    runs = []
    for d in dirs:
        try:
            runs.append(Run(d))
        except (OSError, ValueError, KeyError, TypeError) as e:
            what = f"missing column {e}" if isinstance(e, KeyError) else (
                getattr(e, "strerror", None) or str(e))
            raise UserError(f"{d}: cannot read run outputs: {what}")
    groups, common = group_runs(runs, args.label_by)
    colour = dict(zip(groups, colours(len(groups))))
    pages = [("read-latency", latency_page(groups, colour, "read", common)),
             ("write-latency", latency_page(groups, colour, "write", common)),
             ("messages", messages_page(groups, common))]
    if args.x:
        pages += sweep_pages(runs, args.x, args.label_by)
    pages += [("verdicts", f) for f in verdict_pages(runs, groups, incomplete)]
    tmp = args.output.with_name(args.output.name + ".tmp")
    try:
        # No creation date in the file: the same runs give the same PDF.
        with PdfPages(tmp, metadata={"Creator": "bqsim-plot", "CreationDate": None}) as pdf:
            for _, fig in pages:  # "tight": an outside legend widens the page, never clipped
                pdf.savefig(fig, bbox_inches="tight")
        os.replace(tmp, args.output)
        if args.png_dir:
            args.png_dir.mkdir(parents=True, exist_ok=True)
            for i, (slug, fig) in enumerate(pages, 1):
                fig.savefig(args.png_dir / f"page-{i:02d}-{slug}.png", dpi=100,
                            bbox_inches="tight")
    except OSError as e:
        tmp.unlink(missing_ok=True)
        where = args.output if e.filename in (None, str(tmp)) else e.filename
        raise UserError(f"cannot write {where}: {e.strerror or e}")
    print(f"wrote {args.output} ({len(pages)} pages, {len(runs)} runs, {len(groups)} lines)"
          + (f" and PNGs in {args.png_dir}" if args.png_dir else ""))
    return 0


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
