"""Maximum-likelihood fitting shared by the probability models (``btyd``, ``retention``).

One job: maximise a log-likelihood over positive parameters (optimised on their logs
with ``scipy.optimize``), then report the estimates, the log-likelihood and standard
errors from the observed information (the inverse of minus the Hessian, taken by
central differences at the optimum). Failures raise :class:`FitError` saying what failed
and what to try — never a silent NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

__all__ = ["FitError", "ModelFit", "maximise"]


class FitError(ValueError):
    """A model could not be fitted: the optimiser failed or the data cannot identify it."""


@dataclass(frozen=True)
class ModelFit:
    """A fitted model: estimates, standard errors and the maximised log-likelihood.

    Attributes
    ----------
    model : str
        Model name, e.g. ``"BG/NBD"``.
    params : Series
        Maximum-likelihood estimates, indexed by parameter name.
    se : Series
        Standard errors from the observed information; NaN (with ``hessian_ok`` False)
        only when minus the Hessian is not positive definite at the optimum.
    log_likelihood : float
        The maximised log-likelihood.
    n_obs : float
        Number of customers (the sum of the weights).
    iterations : int
        Optimiser iterations.
    """

    model: str
    params: pd.Series
    se: pd.Series
    log_likelihood: float
    n_obs: float
    iterations: int
    hessian_ok: bool = True
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def summary(self, *, level: float = 0.95) -> pd.DataFrame:
        """Estimates with standard errors and Wald intervals.

        Returns
        -------
        DataFrame
            Indexed by parameter: ``coef``, ``se``, ``lower``, ``upper`` (the ``level``
            Wald interval coef ± z·se).
        """
        z = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame({"coef": self.params, "se": self.se,
                             "lower": self.params - z * self.se,
                             "upper": self.params + z * self.se})

    def __repr__(self) -> str:
        shown = ", ".join(f"{k} {v:.4g}" for k, v in self.params.items())
        return (f"<{self.model} fit on {self.n_obs:,.0f} customers: {shown}; "
                f"log-likelihood {self.log_likelihood:.4f}>")


def maximise(
    loglik: Callable[[np.ndarray], float],
    start: np.ndarray,
    names: list[str],
    *,
    func: str,
    gradient: Callable[[np.ndarray], np.ndarray] | None = None,
    scale: float = 1.0,
    tol: float = 1e-6,
) -> tuple[np.ndarray, float, np.ndarray, int, bool]:
    """Maximise ``loglik(params)`` over positive ``params``.

    Parameters
    ----------
    loglik : callable
        Total log-likelihood at natural (positive) parameters.
    start : array
        Starting values (positive).
    names : list of str
        Parameter names, for messages.
    func : str
        The public function name, for messages.
    gradient : callable, optional
        Gradient of ``loglik`` at natural parameters; finite differences otherwise.
    scale : float
        The objective is ``−loglik / scale`` (use the number of customers), so the
        convergence tolerance does not depend on the sample size.
    tol : float
        Largest accepted gradient norm of the scaled objective in log-parameters.

    Returns
    -------
    params, log-likelihood, standard errors, iterations, whether the Hessian was usable.
    """
    def objective(theta):
        value = loglik(np.exp(theta))
        return np.inf if not np.isfinite(value) else -value / scale

    def jac(theta):
        p = np.exp(theta)
        g = gradient(p) if gradient is not None else _numeric_gradient(loglik, p)
        return -g * p / scale

    theta0 = np.log(np.asarray(start, dtype=float))
    if not np.isfinite(objective(theta0)):
        raise FitError(f"{func}: the log-likelihood is not finite at the starting values "
                       f"{dict(zip(names, np.round(start, 4)))}; pass start=... with other "
                       f"positive values.")
    iterations = 0
    theta = theta0
    converged = False
    for method in ("L-BFGS-B", "BFGS", "Nelder-Mead"):
        options = {"L-BFGS-B": {"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10},
                   "BFGS": {"maxiter": 5000, "gtol": 1e-10},
                   "Nelder-Mead": {"maxiter": 20000, "xatol": 1e-10, "fatol": 1e-12}}[method]
        result = optimize.minimize(objective, theta, jac=None if method == "Nelder-Mead" else jac,
                                   method=method, options=options)
        iterations += int(result.nit)
        if np.isfinite(result.fun) and result.fun <= objective(theta):
            theta = result.x
        if np.linalg.norm(jac(theta)) < tol:
            converged = True
            break
    edge = np.abs(theta) > 18          # a parameter below 1.5e-8 or above 6.6e7
    if edge.any():
        raise FitError(
            f"{func}: parameter {names[int(np.argmax(edge))]} ran off to "
            f"{np.exp(theta[edge][0]):.3g}, so the data cannot identify the model "
            f"({_fmt(names, np.exp(theta))}). This happens when the data show no sign of "
            f"what that parameter describes (e.g. no drop-out); use a simpler model or more data."
        )
    if not converged:
        raise FitError(
            f"{func}: the optimiser did not converge (last message: {result.message}); "
            f"it stopped at {_fmt(names, np.exp(theta))} with gradient norm "
            f"{np.linalg.norm(jac(theta)):.2g}. Check the data for customers the model "
            f"cannot describe, or pass start=... near a plausible solution."
        )
    params = np.exp(theta)
    hessian = _numeric_hessian(loglik, params, gradient)
    try:
        cov = np.linalg.inv(-hessian)
        se = np.sqrt(np.diag(cov))
        ok = bool(np.all(np.isfinite(se)) and np.all(np.linalg.eigvalsh(-hessian) > 0))
    except np.linalg.LinAlgError:
        se, ok = np.full(len(params), np.nan), False
    if not ok:
        se = np.full(len(params), np.nan)
    return params, float(loglik(params)), se, iterations, ok


def _fmt(names, values) -> str:
    return ", ".join(f"{n} {v:.4g}" for n, v in zip(names, values))


def _step(p: np.ndarray) -> np.ndarray:
    return 1e-5 * np.maximum(np.abs(p), 1e-3)


def _numeric_gradient(f, p: np.ndarray) -> np.ndarray:
    h = _step(p)
    g = np.empty(len(p))
    for i in range(len(p)):
        e = np.zeros(len(p))
        e[i] = h[i]
        g[i] = (f(p + e) - f(p - e)) / (2 * h[i])
    return g


def _numeric_hessian(f, p: np.ndarray, gradient=None) -> np.ndarray:
    """Central-difference Hessian of ``f`` (of ``gradient`` when given), symmetrised."""
    k = len(p)
    h = _step(p) * (10 if gradient is None else 1)
    hess = np.empty((k, k))
    if gradient is not None:
        for i in range(k):
            e = np.zeros(k)
            e[i] = h[i]
            hess[i] = (gradient(p + e) - gradient(p - e)) / (2 * h[i])
    else:
        for i in range(k):
            for j in range(k):
                ei, ej = np.zeros(k), np.zeros(k)
                ei[i], ej[j] = h[i], h[j]
                hess[i, j] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej)
                              + f(p - ei - ej)) / (4 * h[i] * h[j])
    return (hess + hess.T) / 2
