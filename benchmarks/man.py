"""Benchmark: MAN winner map on the step-0.01 grid, and one dashboard update.

Run with ``make bench`` (or ``python benchmarks/man.py``). Prints the median of several
runs in milliseconds and the ratio against a baseline run in the same process:

* winner map: crmlab's integer-lattice numpy version against a plain-Python loop with
  exact fractions (the obvious way to get ties right);
* dashboard update: moving a slider (rebalance the other two, recompute, redraw the
  HTML chart) against the alternative it replaced, re-rendering a matplotlib figure
  to PNG on every change.

Targets (issue 3): each below 50 ms.
"""

from __future__ import annotations

import io
import statistics
import time
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import crmlab  # noqa: E402
from crmlab import man, plotting  # noqa: E402
from crmlab.widgets import man_dashboard  # noqa: E402


def median_ms(func, repeat: int = 15) -> float:
    func()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def winner_map_baseline(scores, steps: int) -> list[str]:
    """Plain-Python exact winner map (Fraction arithmetic), for comparison."""
    rows = [(label, [Fraction(str(v)) for v in scores.loc[label, ["money", "authority", "need"]]])
            for label in scores.index]
    winners = []
    for i in range(steps + 1):
        for j in range(steps + 1 - i):
            w = (Fraction(i, steps), Fraction(j, steps), Fraction(steps - i - j, steps))
            totals = [(label, sum(a * b for a, b in zip(w, s))) for label, s in rows]
            best = max(t for _, t in totals)
            winners.append("=".join(label for label, t in totals if t == best))
    return winners


def main() -> None:
    banks = crmlab.load_dataset("man_banks")
    slide = man.score_bank_case(banks)
    steps = 100
    fast = man.winner_map(slide, steps=steps)["winner"].tolist()
    assert fast == winner_map_baseline(slide, steps), "crmlab and the baseline disagree"
    t_map = median_ms(lambda: man.winner_map(slide, steps=steps))
    t_base = median_ms(lambda: winner_map_baseline(slide, steps), repeat=3)
    print(f"winner map, step 0.01 ({len(fast):,} weight vectors): {t_map:.1f} ms "
          f"(plain-Python exact baseline {t_base:.1f} ms, {t_base / t_map:.0f}x faster; target < 50 ms)")

    dash = man_dashboard(banks)
    values = iter([0.5, 0.6, 0.2, 0.3] * 100)

    def slider_move():
        dash.sliders["need"].value = next(values)   # rebalance, recompute, redraw

    plotting.use_style()
    fig, ax = plt.subplots(figsize=(6, 3))

    def matplotlib_redraw():
        ax.clear()
        plotting.ranking_bar(dash.update(), ax=ax)
        fig.tight_layout()
        fig.savefig(io.BytesIO(), format="png")

    t_move = median_ms(slider_move)
    t_mpl = median_ms(matplotlib_redraw)
    print(f"dashboard update (slider move, recompute, HTML chart): {t_move:.1f} ms "
          f"(matplotlib re-render baseline {t_mpl:.1f} ms, {t_mpl / t_move:.1f}x faster; "
          f"target < 50 ms)")


if __name__ == "__main__":
    main()
