#!/usr/bin/env python3
"""Write an HTML report (PNG figures + index.html) for a wedge result file (more files: compared with it).

Usage: /usr/bin/python3 analysis/report.py RESULTS.h5 [MORE.h5 ...] -o DIR
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from wedge_analysis.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
