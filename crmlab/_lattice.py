"""Exact winners of weighted sums over a lattice of weights (for ``man_sensitivity.winner_map``).

Weights are the lattice points (i, j, k)/steps with i + j + k = steps. Scores are read as
the decimals they print as and scaled to Python integers, so order and ties are those of
exact decimal arithmetic, whatever the number of prospects or digits; a floating-point
prefilter keeps the exact work to the rows where it matters.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np

__all__ = ["best_sets", "decimal_integers", "weight_lattice"]


def decimal_integers(values: np.ndarray) -> list[tuple[int, ...]]:
    """Read each score as the decimal it prints as (``repr``) and scale all to integers.

    ``1.2`` is read as 12/10, not as its binary float; every score gets the same scale, so
    order and ties of weighted sums are those of exact decimal arithmetic. Python integers
    cannot overflow, however many digits the scores have.
    """
    fracs = [Fraction(repr(float(v))) for v in values.ravel()]
    scale = lcm(*(f.denominator for f in fracs))
    flat = [int(f * scale) for f in fracs]
    width = values.shape[1]
    return [tuple(flat[k:k + width]) for k in range(0, len(flat), width)]


def weight_lattice(steps: int) -> np.ndarray:
    """All (i, j, steps - i - j) with i, j >= 0, i outer and j inner, ascending."""
    i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
    keep = (i + j <= steps).ravel()
    i, j = i.ravel()[keep], j.ravel()[keep]
    return np.column_stack([i, j, steps - i - j])


def best_sets(lattice: np.ndarray, vectors: np.ndarray, exact: list) -> list:
    """For each weight row, the indices of the vectors with the highest exact total.

    Totals are first computed in floating point on values scaled by a power of two (no
    overflow); a vector more than a rounding-error bound below the row's float maximum
    cannot be best. Rows left with one candidate are decided; the rest are settled with
    exact integer totals of their candidates only.
    """
    top = float(np.max(np.abs(vectors)))
    x = np.ldexp(vectors, -(int(np.frexp(top)[1]) + 2)) if top > 0 else vectors
    steps = int(lattice[0].sum())
    tol = 16 * np.finfo(float).eps * steps * float(np.max(np.abs(x).sum(axis=1)))
    out: list = []
    chunk = max(1, 4_000_000 // len(x))
    for start in range(0, len(lattice), chunk):
        rows = lattice[start:start + chunk]
        totals = rows.astype(float) @ x.T
        candidate = totals >= totals.max(axis=1, keepdims=True) - 2 * tol
        count = candidate.sum(axis=1)
        first = candidate.argmax(axis=1)
        decided = [(int(c),) for c in first]
        for r in np.flatnonzero(count > 1):
            weights = [int(v) for v in rows[r]]
            sums = {int(c): sum(w * e for w, e in zip(weights, exact[c]))
                    for c in np.flatnonzero(candidate[r])}
            best = max(sums.values())
            decided[r] = tuple(c for c in sums if sums[c] == best)
        out.extend(decided)
    return out
