"""BG/NBD formulas shared by ``btyd`` (fit and predictions) and ``gamma_gamma`` (CLV).

Arrays in, arrays out: the callers validate the customer table
(:func:`crmlab._customers.customer_arrays`) and the parameters (:func:`parameters`) and
name the function in their messages. ``p`` is the array (r, alpha, a, b); ``x``, ``tx``,
``big_t`` are a customer's repeat purchases, recency and time since the first purchase.

Functions
---------
loglik, gradient
    The log-likelihood and its analytic gradient, summed with weights ``w``.
collapse, weighted_sum
    Identical (x, t_x, T) rows merged into one pattern with summed weight (sorted); the
    weighted sum of per-pattern terms.
alive, expected_given, expected_new
    P(alive | x, t_x, T), E[X(t) | x, t_x, T] and E[X(t)] for a new customer.
parameters
    The parameters of a fit as a checked array (r, alpha, a, b).

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284 (eq. 6
likelihood, eq. 7 E[X(t)], eq. 9 P(alive), eq. 10 conditional expectation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import digamma, expit, gammaln, hyp2f1

__all__ = ["HYP_HINT", "alive", "collapse", "expected_given", "expected_new", "gradient",
           "log_terms", "loglik", "parameters", "weighted_sum"]

#: The fix to suggest when eq. 10 (or eq. 7) cannot be evaluated.
HYP_HINT = ("The hypergeometric series of FHL (2005) eq. 10 does not converge for such "
            "extreme values (or a = 1 exactly); check the units of recency, T and t, or "
            "use a shorter horizon.")


def collapse(*columns, weights):
    """Merge identical rows of ``columns`` into one pattern with summed ``weights``.

    The likelihood of a pattern times its count equals the sum over its rows, so a fit on
    the patterns is the fit on the rows, at a cost that follows the number of distinct
    patterns. Patterns come out sorted (by the first column, then the next …), so one
    table given per customer or already merged into patterns with counts gives the same
    arrays, and the same fit to the last bit.
    """
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:                          # hash-based: O(n), no row sort
        values, uniques = pd.factorize(column)
        # codes < n and values < n, so the key stays below n² (no int64 overflow)
        codes, _ = pd.factorize(codes * len(uniques) + values)
    first = np.zeros(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    merged = np.bincount(codes, weights=weights)
    patterns = [c[first] for c in columns]
    order = np.lexsort(patterns[::-1])
    return (*(p[order] for p in patterns), merged[order])


def weighted_sum(w, values) -> float:
    """Σ w·values by numpy's pairwise summation, not BLAS ``dot``: as accurate, and a
    multi-threaded BLAS on a busy 2-core machine made each dot 30 times slower."""
    return float(np.add.reduce(w * values))


def log_terms(p, x, tx, big_t):
    """The two terms of the likelihood of FHL (2005) eq. 6 in logs, and their log-sum."""
    r, alpha, a, b = p
    l1 = -(r + x) * np.log(alpha + big_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        l2 = np.where(x > 0, np.log(a) - np.log(np.where(x > 0, b + x - 1, 1.0))
                      - (r + x) * np.log(alpha + tx), -np.inf)
    return l1, l2, np.logaddexp(l1, l2)


def loglik(p, x, tx, big_t, w):
    """The BG/NBD log-likelihood, FHL (2005) eq. 6, summed with weights ``w``."""
    r, alpha, a, b = p
    *_, s = log_terms(p, x, tx, big_t)
    ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + gammaln(a + b) + gammaln(b + x)
          - gammaln(b) - gammaln(a + b + x) + s)
    return float(weighted_sum(w, ll))


def gradient(p, x, tx, big_t, w):
    """The analytic gradient of :func:`loglik` in (r, alpha, a, b)."""
    r, alpha, a, b = p
    l1, l2, s = log_terms(p, x, tx, big_t)
    w1, w2 = np.exp(l1 - s), np.exp(l2 - s)
    bx1 = np.where(x > 0, b + x - 1, 1.0)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w1 * np.log(alpha + big_t) \
        - w2 * np.log(alpha + tx)
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + big_t) + w2 / (alpha + tx))
    d_a = digamma(a + b) - digamma(a + b + x) + w2 / a
    d_b = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x) - w2 / bx1
    return np.array([weighted_sum(w, d) for d in (d_r, d_alpha, d_a, d_b)])


def alive(p, x, tx, big_t):
    """P(alive | x, t_x, T), FHL (2005) eq. 9 computed in logs."""
    r, alpha, a, b = p
    with np.errstate(divide="ignore"):
        odds = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                        + (r + x) * (np.log(alpha + big_t) - np.log(alpha + tx)), -np.inf)
    return expit(-odds)


def expected_given(p, x, tx, big_t, t):
    """E[X(t) | x, t_x, T], FHL (2005) eq. 10 (P(alive) × the alive customer's term)."""
    r, alpha, a, b = p
    with np.errstate(all="ignore"):
        z = t / (alpha + big_t + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - np.exp((r + x) * np.log((alpha + big_t) / (alpha + big_t + t))) \
            * hyp2f1(r + x, b + x, a + b + x - 1, z)
        return head * body * alive(p, x, tx, big_t)


def expected_new(p, t):
    """E[X(t)] for a new customer, FHL (2005) eq. 7."""
    r, alpha, a, b = p
    with np.errstate(all="ignore"):
        return (a + b - 1) / (a - 1) * (
            1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def parameters(params: pd.Series, func: str) -> np.ndarray:
    """The BG/NBD parameters (r, alpha, a, b) of ``params`` as positive finite numbers."""
    try:
        p = params[["r", "alpha", "a", "b"]].to_numpy(dtype=float)
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{func}: the model needs numeric parameters r, alpha, a, b; "
                         f"got {dict(params)}.") from None
    if not np.all(np.isfinite(p)) or np.any(p <= 0):
        raise ValueError(f"{func}: parameters r, alpha, a, b must be positive finite "
                         f"numbers; got {dict(zip(['r', 'alpha', 'a', 'b'], p))}.")
    return p
