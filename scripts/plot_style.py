"""The look of bqsim's figures: the Okabe-Ito palette (colour-blind safe) with a distinct marker
and line style per series, so figures survive greyscale; column (3.3 in) and page (7 in)
sizes with fonts readable at that size; stuck points and intervals drawn the same way in every
figure; and writing a figure in the format its file name asks for."""
import os
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from plot_collect import UserError  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. Yellow last: it is faint on white.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
             "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)),
              (0, (3, 1, 1, 1))]
STUCK_COLOUR = "#555555"

SIZES = {  # width (in), base font (pt), height of one panel (in)
    "column": (3.3, 7.0, 1.75),
    "page": (7.0, 9.0, 2.6),
}
FORMATS = ("pdf", "png", "svg")
PNG_DPI = 300


class Look:
    """Per-figure style: the size, the series' colours, markers and line styles."""

    def __init__(self, size="column"):
        self.size = size
        self.width, self.font, self.panel_h = SIZES[size]

    def rc(self):
        return {"font.size": self.font, "axes.titlesize": self.font,
                "axes.labelsize": self.font, "xtick.labelsize": self.font - 1,
                "ytick.labelsize": self.font - 1, "legend.fontsize": self.font - 1,
                "lines.linewidth": 1.2, "lines.markersize": 4 if self.size == "column" else 5,
                "axes.linewidth": 0.6, "grid.linewidth": 0.4, "errorbar.capsize": 2,
                "pdf.fonttype": 42, "svg.fonttype": "none",  # text stays text
                "legend.frameon": False, "axes.spines.top": False,
                "axes.spines.right": False}

    def figure(self, panels=1, cols=1, height=None, sharex=True):
        with plt.rc_context(self.rc()):
            rows = (panels + cols - 1) // cols
            h = height or self.panel_h * rows + 0.9
            fig, axes = plt.subplots(rows, cols, figsize=(self.width, h), sharex=sharex,
                                     squeeze=False)
        axes = [a for row in axes for a in row]
        for ax in axes[panels:]:
            ax.set_visible(False)
        for ax in axes[:panels]:
            ax.grid(alpha=0.35)
        return fig, axes[:panels]


def series_style(i):
    """Colour, marker and line style of the i-th series: all three change together, so two
    series never share a marker or a dash even where colour cannot be seen."""
    return {"color": OKABE_ITO[i % len(OKABE_ITO)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def legend_above(fig, handles, look, ncol=None):
    """The legend above the axes, as many columns as fit the width."""
    if not handles:
        return
    ncol = min(ncol or (2 if look.size == "column" else 4), len(handles))
    renderer = fig.canvas.get_renderer()
    while True:  # fewer columns until the legend fits the figure's width
        leg = fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                         ncol=ncol, fontsize=look.font - 1, handlelength=2.6,
                         columnspacing=1.0)
        if ncol == 1 or leg.get_window_extent(renderer).width <= fig.bbox.width:
            return
        leg.remove()
        ncol -= 1


def series_handle(st, text):
    return Line2D([], [], color=st["color"], marker=st["marker"], linestyle=st["linestyle"],
                  label=text)


def stuck_handle():
    return Line2D([], [], color=STUCK_COLOUR, marker=6, linestyle="", markersize=6,
                  label="stuck (never completed)")


def draw_stuck(ax, x, colour, text=None, look=None):
    """A point whose value is stuck: a caret on the top edge of the axes (never at a finite
    height), in the series' colour."""
    ax.plot([x], [1.0], marker=6, color=colour, markersize=7, linestyle="",
            transform=ax.get_xaxis_transform(), clip_on=False, zorder=6)
    if text:
        ax.annotate(text, (x, 1.0), xycoords=ax.get_xaxis_transform(), xytext=(3, -8),
                    textcoords="offset points", fontsize=(look.font - 2) if look else 6,
                    color=colour)


def footnote(fig, text, look):
    """The figure's caption (which interval, how many seeds) below the axes, wrapped to the
    figure's width (an average glyph is about half the font size wide)."""
    size = look.font - 2
    chars = int(look.width * 72 / (0.5 * size))
    fig.text(0.01, -0.01, textwrap.fill(text, chars), fontsize=size, ha="left", va="top",
             color="#333333", linespacing=1.15)


def warn_on_figure(fig, text, look):
    """A warning above everything else on the figure (above the legend, if any)."""
    top = 1.0
    if fig.legends:
        box = fig.legends[0].get_window_extent(fig.canvas.get_renderer())
        top = max(top, box.y1 / fig.bbox.height)
    fig.text(0.5, top + 0.005, text, fontsize=look.font - 1, ha="center", va="bottom",
             color="#B00000", fontweight="bold")


def output_format(path, fmt=None):
    """The format a file name asks for (pdf, png, svg); UserError otherwise."""
    ext = Path(path).suffix.lower().lstrip(".")
    if fmt:
        if ext and ext != fmt:
            raise UserError(f"{path}: the extension .{ext} does not match --format {fmt}")
        return fmt
    if ext not in FORMATS:
        raise UserError(f"{path}: unknown figure format '{ext or '(none)'}'; expected a file "
                        f"name ending in .pdf, .png or .svg")
    return ext


def save(fig, path, fmt):
    """Writes the figure to a temp name and renames it into place. No creation date in the
    file, so the same runs give the same bytes."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    meta = {"pdf": {"Creator": "bqsim-plot", "CreationDate": None},
            "svg": {"Creator": "bqsim-plot", "Date": None},
            "png": {"Software": "bqsim-plot"}}[fmt]
    try:
        fig.savefig(tmp, format=fmt, bbox_inches="tight", pad_inches=0.03, metadata=meta,
                    dpi=PNG_DPI if fmt == "png" else "figure")
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {e.strerror or e}")
    finally:
        plt.close(fig)


def log_ticks(axis):
    """Plain numbers at 1, 2 and 5 times the powers of ten: a log axis spanning one decade
    otherwise shows a single label."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def time_scale(values_s):
    """Milliseconds unless the largest finite value is a second or more."""
    finite = [v for v in values_s if v is not None and v == v and v != float("inf")]
    return (1.0, "s") if finite and max(finite) >= 1.0 else (1e3, "ms")
