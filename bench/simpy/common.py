"""What the two SimPy models share: reading dcsim's scenario values, a batch-means interval, the report.

The models take their parameters from the dcsim scenario they are compared with, so that the two sides
cannot drift apart. Only the units those scenarios use are understood; any other is an error rather than
a silent misreading.
"""
import math
import tomllib

_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "day": 86400.0}


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def seconds(text):
    """'10 h' -> 36000.0"""
    number, unit = str(text).split()
    if unit not in _SECONDS:
        raise ValueError(f"{text!r}: unit {unit!r} is not one of {sorted(_SECONDS)}")
    return float(number) * _SECONDS[unit]


def rate_per_s(text):
    """'57.6 /s' -> 57.6, '2 /day' -> 2/86400"""
    number, unit = str(text).split()
    if not unit.startswith("/") or unit[1:] not in _SECONDS:
        raise ValueError(f"{text!r}: unit {unit!r} is not a rate per one of {sorted(_SECONDS)}")
    return float(number) / _SECONDS[unit[1:]]


def t_quantile_975(dof):
    """Two-sided 95 % Student t quantile (Cornish-Fisher expansion: within 2e-4 from 30 degrees of freedom),
    so that the models need nothing beyond SimPy and the standard library."""
    z = 1.959963984540054
    return z + (z**3 + z) / (4 * dof) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * dof * dof)


class BatchMeans:
    """Mean of consecutive waits with a 95 % batch-means half-width, as dcsim's summary computes it:
    batches of a fixed size chosen from the expected count (about 32 batches), the incomplete last batch
    left out. Successive waits are correlated, so the plain standard error would be too narrow."""

    def __init__(self, expected_count, batches=32):
        self.size = max(1, int(expected_count // batches))
        self.acc = 0.0
        self.n = 0
        self.means = []

    def add(self, x):
        self.acc += x
        self.n += 1
        if self.n == self.size:
            self.means.append(self.acc / self.size)
            self.acc = 0.0
            self.n = 0

    def half_width(self):
        k = len(self.means)
        if k < 2:
            return math.inf
        m = sum(self.means) / k
        var = sum((x - m) ** 2 for x in self.means) / (k - 1)
        return t_quantile_975(k - 1) * math.sqrt(var / k)


def report(rows):
    """One 'name value' line per figure: bench/simpy/compare.sh reads them by name."""
    for name, value in rows:
        print(f"{name:<20} {value}")
