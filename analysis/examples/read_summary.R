# Read the root summary (mean of each outcome by strategy) of a wedge result file with hdf5r.
#
# UNTESTED: R is not installed on the machine where this example was written; it follows the
# documented hdf5r API (h5file, h5attr, [[ ]], [ ]) but has never been run.
#
# Usage: Rscript analysis/examples/read_summary.R results/baseline.h5
library(hdf5r)

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "results/baseline.h5"

f <- h5file(path, mode = "r")
if (h5attr(f, "filetype") != "wedge-results") stop(path, " is not a wedge result file")
if (as.numeric(h5attr(f, "format_version")) != 2) stop(path, ": unsupported format_version")

strategies <- f[["strategy"]][]
outcomes <- f[["outcome"]][]
# The file stores mean as (strategy, outcome). hdf5r reverses the dimension order of every
# dataset (R is column-major), so R sees an outcome x strategy matrix.
m <- f[["mean"]][, ]
dimnames(m) <- list(outcome = outcomes, strategy = strategies)
cat("runs per strategy:", as.numeric(h5attr(f, "runs")), "\n")
print(round(m, 3))

# The same as a long data frame: strategy, outcome, mean
summary_long <- as.data.frame(as.table(m), responseName = "mean")
print(head(summary_long))

f$close_all()
