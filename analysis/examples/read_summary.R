# The summary of a wedge result file in R: the mean of each outcome by strategy, the paired
# differences of the US payoff, and the per-run records when the file has them.
# Uses analysis/R/wedge.R (hdf5r; Debian: r-cran-hdf5r). Run by ctest (tests/r/reader.sh).
#
#   Rscript analysis/examples/read_summary.R results/baseline.h5
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", args, value = TRUE))))
source(file.path(here, "..", "R", "wedge.R"))

options(width = 200)
path <- commandArgs(trailingOnly = TRUE)[1]
if (is.na(path)) path <- "results/baseline.h5"
w <- wedge_open(path)  # stops unless filetype is "wedge-results" and format_version 5
a <- wedge_attrs(w)
cat("study", a$study, "- runs per strategy:", a$runs, "- seed", a$seed, "\n\n")

s <- wedge_summary(w)
# Rows are in the file's order, strategy by strategy: an outcome x strategy matrix.
means <- matrix(s$mean, ncol = length(unique(s$strategy)),
                dimnames = list(unique(s$outcome), unique(s$strategy)))
print(round(means, 3))

cat("\npaired differences of the US payoff (A - B, 95% interval)\n")
d <- wedge_comparison(w)
print(d[d$outcome == "us_payoff", c("pair", "mean_difference", "low", "high")], row.names = FALSE)

cat("\nbest share, regret and satisficing\n")
print(wedge_regret(w), row.names = FALSE)

if (w$file$exists("records")) {
  r <- wedge_records(w)
  cat("\nrecords:", nrow(r$parameters), "runs; US payoff by strategy from the records\n")
  print(aggregate(us_payoff ~ strategy, r$outcomes, mean))
}
wedge_close(w)
