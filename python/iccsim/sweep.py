"""A sweep directory: its tables, and each run opened when asked."""

import os

import pandas as pd

from .run import Run


class Sweep:
    """A sweep directory (`iccsim sweep plan/run/collect`): `configurations` (sweep.csv: per
    configuration the mean and 95% CI half-width of each figure), `runs` (runs.csv: one row per
    run) and `plan` (plan.csv), and `run(key)` for one run's summary and trace."""

    def __init__(self, directory):
        self.directory = os.fspath(directory)
        plan = os.path.join(self.directory, "plan.csv")
        if not os.path.isfile(plan):
            raise FileNotFoundError(f"{self.directory} is not an ICCSim sweep directory (no plan.csv)")
        self.plan = pd.read_csv(plan, dtype={"key": str})
        self._configurations = None
        self._runs = None

    def _collected(self, name):
        path = os.path.join(self.directory, name)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path} is missing: run 'iccsim sweep collect {self.directory}'")
        return pd.read_csv(path, dtype={"run": str})

    @property
    def configurations(self):
        if self._configurations is None:
            self._configurations = self._collected("sweep.csv")
        return self._configurations

    @property
    def runs(self):
        if self._runs is None:
            self._runs = self._collected("runs.csv")
        return self._runs

    def run(self, key):
        """The run KEY (its directory under runs/), opened now."""
        return Run(os.path.join(self.directory, "runs", str(key)))

    def __iter__(self):
        """The finished runs, in plan order, each opened when reached."""
        for key in self.plan["key"]:
            if os.path.isfile(os.path.join(self.directory, "runs", key, "summary.json")):
                yield self.run(key)


def open_sweep(directory):
    """Opens the sweep in DIRECTORY."""
    return Sweep(directory)
