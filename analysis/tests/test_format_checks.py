"""(c) Files with a wrong stamp or an unknown format version are refused."""
from __future__ import annotations

import shutil

import h5py
import numpy as np
import pytest

from wedge_analysis import WedgeFormatError, open_results


def copy_with(src, dst, **attrs):
    """Copy a result file and overwrite (or, with value None, delete) root attributes with h5py."""
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        for k, v in attrs.items():
            if v is None:
                del f.attrs[k]
            else:
                f.attrs[k] = v
    return dst


def test_good_file_is_accepted(plain_file):
    r = open_results(plain_file)
    assert r.format_version == 5 and r.attrs["filetype"] == "wedge-results"
    assert r.config_text.startswith("#") and "[study]" in r.config_text
    assert r.config["study"]["seed"] == r.attrs["seed"]


def test_wrong_filetype(plain_file, tmp_path):
    bad = copy_with(plain_file, tmp_path / "wrong_stamp.h5", filetype="netcdf-something-else")
    with pytest.raises(WedgeFormatError) as e:
        open_results(bad)
    msg = str(e.value)
    assert str(bad) in msg and "filetype" in msg and "netcdf-something-else" in msg and "wedge-results" in msg


def test_missing_filetype(plain_file, tmp_path):
    bad = copy_with(plain_file, tmp_path / "no_stamp.h5", filetype=None)
    with pytest.raises(WedgeFormatError, match="'filetype' is missing"):
        open_results(bad)


def test_future_format_version(plain_file, tmp_path):
    bad = copy_with(plain_file, tmp_path / "future.h5", format_version=np.int64(6))
    with pytest.raises(WedgeFormatError) as e:
        open_results(bad)
    msg = str(e.value)
    assert str(bad) in msg and "format_version 6" in msg and "newer" in msg


def test_non_integer_format_version(plain_file, tmp_path):
    bad = copy_with(plain_file, tmp_path / "strver.h5", format_version="one")
    with pytest.raises(WedgeFormatError, match="not an integer"):
        open_results(bad)


def test_not_hdf5(tmp_path):
    bad = tmp_path / "text.h5"
    bad.write_text("hello\n")
    with pytest.raises(WedgeFormatError, match="cannot be opened as HDF5"):
        open_results(bad)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_results(tmp_path / "nope.h5")
