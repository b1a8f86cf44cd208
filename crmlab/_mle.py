"""Maximum-likelihood fitting for the probability models (``btyd``, ``gamma_gamma``, ``retention``).

One job: maximise a log-likelihood over positive parameters (optimised on their logs
with ``scipy.optimize``), then report the estimates, the log-likelihood and standard
errors from the observed information (the inverse of minus the Hessian, taken by
central differences at the optimum). Failures raise :class:`FitError` saying what failed
and what to try — never a silent NaN.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

__all__ = ["FitError", "Maximum", "ModelFit", "maximise"]


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
        Standard errors from the observed information. A fit whose Hessian is not
        negative definite raises :class:`FitError`, so fitted models always have finite
        ones; NaN only in a model built by hand from fixed parameters.
    log_likelihood : float
        The maximised log-likelihood.
    n_obs : float
        Number of customers (the sum of the weights).
    iterations : int
        Optimiser iterations.
    hessian_ok : bool
        Whether minus the Hessian was positive definite at the optimum.
    extra : dict
        Model-specific facts, e.g. ``extra["note"]``: what the fit left out (shown in the
        repr and in ``summary().attrs``).
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
            Wald interval coef ± z·se). ``attrs["note"]`` repeats :attr:`note` when the
            fit left customers out.
        """
        if (isinstance(level, bool) or not isinstance(level, (int, float, np.number))
                or not 0 < level < 1):
            raise ValueError(f"{type(self).__name__}.summary: level must be a number in "
                             f"(0, 1), e.g. 0.95; got {level!r}.")
        z = stats.norm.ppf(0.5 + level / 2)
        out = pd.DataFrame({"coef": self.params, "se": self.se,
                            "lower": self.params - z * self.se,
                            "upper": self.params + z * self.se})
        if self.note:
            out.attrs["note"] = self.note
        return out

    @property
    def note(self) -> str:
        """What the fit left out of the data, if anything (``""`` otherwise)."""
        return str(self.extra.get("note", ""))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k} {v:.4g}" for k, v in self.params.items())
        note = f" ({self.note})" if self.note else ""
        return (f"<{self.model} fit on {self.n_obs:,.0f} customers{note}: {shown}; "
                f"log-likelihood {self.log_likelihood:.4f}>")


@dataclass(frozen=True)
class Maximum:
    """What :func:`maximise` found.

    Attributes
    ----------
    params : ndarray
        Maximum-likelihood estimates (natural, positive scale), in the order of ``names``.
    log_likelihood : float
        The log-likelihood at ``params``.
    se : ndarray
        Standard errors from the observed information (always finite: a fit whose
        Hessian is not negative definite raises :class:`FitError` instead).
    iterations : int
        Optimiser iterations over all methods tried.
    hessian_ok : bool
        Whether minus the Hessian is positive definite (always True when returned).
    """

    params: np.ndarray
    log_likelihood: float
    se: np.ndarray
    iterations: int
    hessian_ok: bool = True


def maximise(
    loglik: Callable[[np.ndarray], float],
    start: np.ndarray,
    names: list[str],
    *,
    func: str,
    gradient: Callable[[np.ndarray], np.ndarray] | None = None,
    scale: float = 1.0,
    tol: float = 1e-6,
) -> Maximum:
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
    Maximum
        ``params``, ``log_likelihood``, ``se``, ``iterations``, ``hessian_ok``.

    Raises
    ------
    FitError
        If the log-likelihood is not finite at ``start``, the optimiser does not converge,
        a parameter runs off to 0 or infinity, or the log-likelihood is flat in some
        direction at the optimum (minus the Hessian is not positive definite), so the
        standard errors would be NaN: the data cannot identify the model.

    References
    ----------
    Nocedal, J. & Wright, S. J. (2006). *Numerical Optimization*, 2nd ed., Springer
    (L-BFGS-B, BFGS; central-difference derivatives). Standard errors from the observed
    information: Pawitan, Y. (2001). *In All Likelihood*, Oxford, §2.5 and §3.3.

    Examples
    --------
    >>> best = maximise(lambda p: -(p[0] - 2.0) ** 2 - np.log(p[0]), np.array([1.0]), ["x"],
    ...                 func="demo")
    >>> round(float(best.params[0]), 4), best.hessian_ok
    (1.7071, True)
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # overflow, log(0) and the like far from the optimum only make the objective
        # infinite, which the optimisers handle; the result is checked below
        warnings.simplefilter("ignore", RuntimeWarning)
        return _maximise(loglik, start, names, func=func, gradient=gradient, scale=scale,
                         tol=tol)


def _maximise(loglik, start, names, *, func, gradient, scale, tol) -> Maximum:
    def objective(theta):
        value = loglik(np.exp(theta))
        return np.inf if not np.isfinite(value) else -value / scale

    def jac(theta):
        p = np.exp(theta)
        g = gradient(p) if gradient is not None else _numeric_gradient(loglik, p)
        return -np.asarray(g, dtype=float) * p / scale

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
                   "Nelder-Mead": {"maxiter": 5000, "xatol": 1e-10, "fatol": 1e-12}}[method]
        result = optimize.minimize(objective, theta, jac=None if method == "Nelder-Mead" else jac,
                                   method=method, options=options)
        iterations += int(result.nit)
        if np.isfinite(result.fun) and result.fun <= objective(theta):
            theta = result.x
        if np.linalg.norm(jac(theta)) < tol:
            converged = True
            break
        if np.any(np.abs(theta) > 18):      # running off: another method will not help
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
    if gradient is not None:
        theta = _polish(objective, jac, theta)
    params = np.exp(theta)
    ll = float(loglik(params))
    if not np.isfinite(ll):
        raise FitError(f"{func}: the log-likelihood is not finite at the optimum "
                       f"({_fmt(names, params)}); check the data for extreme values.")
    hessian = _numeric_hessian(loglik, params, gradient)
    se, flat = _standard_errors(hessian)
    if flat is not None:
        raise FitError(
            f"{func}: the log-likelihood is flat at the optimum ({_fmt(names, params)}) "
            f"along {_direction(names, flat)}, so the data cannot identify the model and "
            f"the standard errors do not exist. This happens when the data show no sign "
            f"of what a parameter describes; use more data, a longer observation period "
            f"or a simpler model."
        )
    return Maximum(params, ll, se, iterations, True)


def _polish(objective, jac, theta: np.ndarray, steps: int = 3) -> np.ndarray:
    """A few Newton steps from the optimiser's answer (Hessian by central differences of
    the analytic gradient), each kept only if it does not lower the log-likelihood (beyond rounding).

    Quasi-Newton methods stop where the gradient is small, which leaves the estimates
    right to about 1e-8 and dependent on the path taken (the order of the data, whether
    identical customers were merged); Newton's quadratic convergence takes them to the
    optimum itself, so equal data give equal estimates to about 1e-11.
    """
    for _ in range(steps):
        g = jac(theta)
        if not np.all(np.isfinite(g)) or np.linalg.norm(g) < 1e-13:
            break
        k = len(theta)
        hess = np.empty((k, k))
        for i in range(k):
            e = np.zeros(k)
            e[i] = 1e-5
            hess[i] = (jac(theta + e) - jac(theta - e)) / 2e-5
        hess = (hess + hess.T) / 2
        try:
            step = np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.linalg.norm(step) > 1e-3:
            break                       # far from quadratic convergence: keep the optimiser's
        candidate = theta - step
        # near the optimum the objective is flat to rounding, so equal within 1e-12 counts
        if not objective(candidate) <= objective(theta) + 1e-12:
            break
        theta = candidate
    return theta


def _standard_errors(hessian: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Standard errors from minus the Hessian, or NaNs and its flattest eigenvector."""
    info = -hessian
    if not np.all(np.isfinite(info)):
        return np.full(len(info), np.nan), np.ones(len(info)) / np.sqrt(len(info))
    values, vectors = np.linalg.eigh(info)
    if values[0] <= 1e-12 * max(1.0, abs(values[-1])):
        return np.full(len(info), np.nan), vectors[:, 0]
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    if not np.all(np.isfinite(se)):
        return np.full(len(info), np.nan), vectors[:, 0]
    return se, None


def _direction(names, vector) -> str:
    """Name the parameters an eigenvector mostly moves, e.g. "a and b"."""
    weight = np.abs(vector) / np.abs(vector).max()
    moved = [n for n, w in zip(names, weight) if w > 0.3]
    return " and ".join(moved) if len(moved) <= 2 else ", ".join(moved)


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
