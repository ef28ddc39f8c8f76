#!/usr/bin/python3
"""scipy baseline for CalibrationBenchmarks: the Poisson intensity MLE on 10^6 bins.

Same synthetic design as the C# benchmark (delta_i = 0.001 + 3 i / n, exposure 0.01, counts ~ Poisson(140 e^(-1.5 delta)));
the draws come from numpy (seed 1), not from the C# generator, which does not change the work. --csv FILE fits a
delta,count,exposure file instead. Each fit is timed best-of-R (wall and CPU), vectorised numpy throughout:
  exp-profile : scipy.optimize.minimize_scalar (Brent) on the profile -l(k) with A profiled out in closed form
  exp-full    : scipy.optimize.minimize (L-BFGS-B, analytic gradient) on the full -l(log A, k)
  power       : scipy.optimize.minimize (L-BFGS-B, analytic gradient) on the profile -l(k, log delta0)
log n! (scipy.special.gammaln) is a constant, computed once per fit as the C# code does.
On the exponential data the power-law fit drifts to delta0 -> infinity (as in C#); --truth power gives it an interior optimum.
Usage: python3 scipy_calibration.py [--bins N] [--repeat R] [--csv FILE] [--truth exponential|power]
"""
import argparse
import time

import numpy as np
from scipy import optimize, special


def data(n, csv, truth):
    if csv:
        table = np.genfromtxt(csv, delimiter=",", names=True)
        return table["delta"], table["count"], table["exposure"]
    delta = 0.001 + 3.0 * np.arange(n) / n
    if truth == "power":  # the C# tests' power-law design: A = 50, k = 2, delta0 = 0.3, exposure 0.05
        exposure = np.full(n, 0.05)
        count = np.random.default_rng(3).poisson(50 * (delta + 0.3) ** -2.0 * exposure).astype(float)
    else:
        exposure = np.full(n, 0.01)
        count = np.random.default_rng(1).poisson(140 * np.exp(-1.5 * delta) * exposure).astype(float)
    return delta, count, exposure


def exp_profile(delta, count, exposure):
    total, ndelta, lfact = count.sum(), count @ delta, special.gammaln(count + 1).sum()

    def negative(k):
        return total * np.log(exposure @ np.exp(-k * delta)) + k * ndelta

    k = optimize.minimize_scalar(negative, bracket=(0.1, 10.0), tol=1e-12).x
    a = total / (exposure @ np.exp(-k * delta))
    mu = a * np.exp(-k * delta) * exposure
    return a, k, np.sum(count * np.log(mu) - mu) - lfact


def exp_full(delta, count, exposure):
    lfact = special.gammaln(count + 1).sum()

    def negative(p):
        log_a, k = p
        mu = np.exp(log_a - k * delta) * exposure
        return -(count @ (log_a - k * delta + np.log(exposure)) - mu.sum()), np.array([-(count.sum() - mu.sum()), count @ delta - mu @ delta])

    res = optimize.minimize(negative, x0=[np.log(count.sum() / exposure.sum()), 1.0], jac=True, method="L-BFGS-B",
                            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 1000})
    log_a, k = res.x
    mu = np.exp(log_a - k * delta) * exposure
    return np.exp(log_a), k, np.sum(count * np.log(mu) - mu) - lfact


def power_profile(delta, count, exposure):
    total, lfact = count.sum(), special.gammaln(count + 1).sum()

    def negative(p):
        k, t = p
        d0 = np.exp(t)
        u = delta + d0
        log_u = np.log(u)
        shift = log_u.min()
        w = exposure * np.exp(-k * (log_u - shift))
        s = w.sum()
        value = total * (np.log(s) - k * shift) + k * (count @ log_u)
        grad_k = -total * (w @ log_u) / s + count @ log_u
        grad_t = d0 * k * (-total * (w @ (1 / u)) / s + count @ (1 / u))
        return value, np.array([grad_k, grad_t])

    res = optimize.minimize(negative, x0=[2.0, np.log(delta.mean())], jac=True, method="L-BFGS-B",
                            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 1000})
    k, d0 = res.x[0], np.exp(res.x[1])
    u = delta + d0
    a = total / (exposure @ u ** -k)
    mu = a * u ** -k * exposure
    return a, k, d0, np.sum(count * np.log(mu) - mu) - lfact, res.message


def timed(name, fit, args, repeat):
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fit(*args)
        best_wall, best_cpu = min(best_wall, time.perf_counter() - wall), min(best_cpu, time.process_time() - cpu)
    print(f"{name:12s} wall {best_wall * 1e3:8.1f} ms  cpu {best_cpu * 1e3:8.1f} ms  ->", *result)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bins", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--csv")
    parser.add_argument("--truth", choices=["exponential", "power"], default="exponential",
                        help="exponential (the benchmark's data: the power law runs to delta0 -> infinity) or power")
    options = parser.parse_args()
    args = data(options.bins, options.csv, options.truth)
    print(f"{len(args[0])} bins, {args[1].sum():.0f} arrivals, numpy {np.__version__}")
    timed("exp-profile", exp_profile, args, options.repeat)
    timed("exp-full", exp_full, args, options.repeat)
    timed("power", power_profile, args, options.repeat)


if __name__ == "__main__":
    main()
