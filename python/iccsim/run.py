"""One ICCSim run: its summary and the tables of its trace."""

import json
import os
import re

import h5py
import numpy as np
import pandas as pd

_DICTIONARY = re.compile(r"decoded by /dictionaries/(\w+)")


class Run:
    """A run directory written by `iccsim run` (trace.h5, summary.json, run-info.json)."""

    def __init__(self, directory):
        self.directory = os.fspath(directory)
        self.trace_path = os.path.join(self.directory, "trace.h5")
        summary_path = os.path.join(self.directory, "summary.json")
        if not os.path.isfile(self.trace_path) or not os.path.isfile(summary_path):
            raise FileNotFoundError(f"{self.directory} is not an ICCSim run directory (no trace.h5 and summary.json)")
        with open(summary_path, encoding="utf-8") as f:
            self.summary = json.load(f)
        with h5py.File(self.trace_path, "r") as f:
            self.attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
            self.tables = sorted(k for k in f.keys() if k != "dictionaries")
            self._dictionaries = {name: _read_dictionary(f["dictionaries"][name]) for name in f["dictionaries"].keys()} \
                if "dictionaries" in f else {}

    def __repr__(self):
        return f"Run({self.directory!r}: {self.attrs.get('scenario_name')} seed {self.attrs.get('seed')}, tables {', '.join(self.tables)})"

    def dictionary(self, name):
        """The code -> name mapping of /dictionaries/NAME."""
        return dict(self._dictionaries[name])

    def table(self, name, times="s"):
        """The trace table NAME as a DataFrame: one column per dataset (in name order), coded
        columns as categories of their dictionary's names (code -1: missing), the units and long
        names in ``df.attrs["units"]`` and ``df.attrs["long_name"]``. Times are seconds: the
        ``*_ns`` columns become ``*_s`` (-1, "never", becomes NaN); ``times="ns"`` keeps the
        file's integer nanoseconds."""
        if name not in self.tables:
            raise KeyError(f"no table {name!r} in {self.trace_path}; it has {', '.join(self.tables)}")
        if times not in ("ns", "s"):
            raise ValueError("times must be 'ns' or 's'")
        columns, units, long_names = {}, {}, {}
        with h5py.File(self.trace_path, "r") as f:
            group = f[name]
            for col in group.keys():
                data = group[col][()]
                unit = _text(group[col].attrs.get("units", ""))
                long_name = _text(group[col].attrs.get("long_name", ""))
                coded = _DICTIONARY.search(long_name)
                if coded and coded.group(1) in self._dictionaries:
                    names = self._dictionaries[coded.group(1)]
                    categories = [names[k] for k in sorted(names)]
                    data = pd.Categorical([names.get(int(c)) for c in data], categories=list(dict.fromkeys(categories)))
                elif times == "s" and col.endswith("_ns") and unit == "ns":
                    seconds = data.astype(np.float64) / 1e9
                    seconds[data < 0] = np.nan
                    col, unit, data = col[:-3] + "_s", "s", seconds
                columns[col], units[col], long_names[col] = data, unit, long_name
        df = pd.DataFrame(columns)
        df.attrs["units"] = units
        df.attrs["long_name"] = long_names
        df.attrs["table"] = name
        return df

    def to_parquet(self, directory, times="s"):
        """Writes every table as DIRECTORY/NAME.parquet (needs pyarrow); returns the paths."""
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:
            raise ImportError("to_parquet needs pyarrow: pip install './python[parquet]'") from e
        os.makedirs(directory, exist_ok=True)
        paths = []
        for name in self.tables:
            path = os.path.join(directory, f"{name}.parquet")
            df = self.table(name, times=times)
            df.attrs = {}
            df.to_parquet(path + ".tmp", index=False)
            os.replace(path + ".tmp", path)
            paths.append(path)
        return paths


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _read_dictionary(group):
    names = [_text(n) for n in group["name"][()]]
    return dict(zip((int(c) for c in group["code"][()]), names))


def open_run(directory):
    """Opens the run in DIRECTORY (a directory `iccsim run` wrote)."""
    return Run(directory)
