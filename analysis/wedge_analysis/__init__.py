"""Read and plot wedge Monte Carlo result files.

    >>> from wedge_analysis import open_results
    >>> r = open_results("results/baseline.h5")
    >>> r.summary().loc[("conciliation", "split"), "mean"]

See analysis/README.md.
"""
from .results import (
    FILETYPE,
    SUPPORTED_FORMAT_VERSIONS,
    Records,
    WedgeError,
    WedgeFormatError,
    WedgeRecordsMissingError,
    WedgeResults,
    open_results,
)

__all__ = [
    "FILETYPE",
    "SUPPORTED_FORMAT_VERSIONS",
    "Records",
    "WedgeError",
    "WedgeFormatError",
    "WedgeRecordsMissingError",
    "WedgeResults",
    "open_results",
]
__version__ = "0.1.0"
