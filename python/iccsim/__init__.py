"""Read ICCSim runs (trace.h5, summary.json) and sweeps (sweep.csv, runs.csv) as pandas objects."""

from .run import Run, open_run as open
from .sweep import Sweep, open_sweep

__all__ = ["Run", "Sweep", "open", "open_sweep"]
__version__ = "0.1.0"
