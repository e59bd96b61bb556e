# Reading wedge result files (docs/output-format.md, format version 5) from R, with hdf5r
# (Debian: r-cran-hdf5r). Every table comes back as a long data frame, one row per cell, in the
# file's order (the last dimension varies fastest, as h5dump, h5py and `wedge info` show it).
#
#   source("analysis/R/wedge.R")
#   w <- wedge_open("results/baseline.h5")    # checks filetype and format_version
#   wedge_summary(w)      # strategy x outcome: mean, sd, mcse, min, max, Wilson 95%, quantiles
#   wedge_paths(w)        # strategy x state x quarter: year, mean, quantiles (the fan charts)
#   wedge_path_groups(w)  # strategy x group (kept, switched) x state x quarter: the same, per group
#   wedge_events(w)       # strategy x event x quarter: P(the event has happened by then)
#   wedge_comparison(w)   # pair x outcome: mean and s.e. of the paired difference A - B, 95% interval
#   wedge_regret(w)       # strategy: best share, regret mean / p90, one column per satisficing criterion
#   wedge_drivers(w)      # strategy x parameter x decile x outcome: mean outcome by parameter decile
#   wedge_first_order(w)  # strategy x parameter x outcome: first-order sensitivity index
#   wedge_records(w)      # list(parameters = run x parameter, outcomes = (run, strategy) x outcome)
#   wedge_attrs(w)        # the root attributes (provenance, configuration text) as a list
#   wedge_close(w)
#
# Errors (wrong file, other format version, no records) are stop() with a message naming the
# file. tests/r/reader.sh checks every number against `wedge info`.
suppressPackageStartupMessages(library(hdf5r))

WEDGE_FORMAT_VERSION <- 5L

wedge_open <- function(path) {
  if (!file.exists(path)) stop(path, ": no such file", call. = FALSE)
  f <- tryCatch(suppressWarnings(H5File$new(path, mode = "r")),
                error = function(e) stop(path, ": not an HDF5 file (or damaged)", call. = FALSE))
  fail <- function(...) {
    f$close_all()
    stop(path, ": ", ..., call. = FALSE)
  }
  if (!f$attr_exists("filetype") || !identical(h5attr(f, "filetype"), "wedge-results"))
    fail("not a wedge result file (no filetype = \"wedge-results\")")
  if (!f$attr_exists("format_version")) fail("no format_version attribute")
  version <- as.integer(h5attr(f, "format_version"))
  if (version != WEDGE_FORMAT_VERSION)
    fail("format version ", version, " is not supported by this reader (it reads version ",
         WEDGE_FORMAT_VERSION, ")")
  structure(list(file = f, path = path), class = "wedge_results")
}

wedge_close <- function(w) invisible(w$file$close_all())

print.wedge_results <- function(x, ...) {
  a <- wedge_attrs(x)
  cat("wedge result file ", x$path, ": study ", a$study, ", ", a$runs, " runs x ",
      length(wedge_read(x, "strategy")), " strategies, created ", a$created, "\n", sep = "")
  invisible(x)
}

wedge_attrs <- function(w) {
  f <- w$file
  a <- lapply(h5attr_names(f), function(n) h5attr(f, n))
  names(a) <- h5attr_names(f)
  a
}

# A dataset's values in the file's (C) order, whatever its rank: hdf5r reverses the dimensions of
# every dataset, so its column-major flattening is exactly the file's row-major order.
wedge_read <- function(w, name) {
  if (!w$file$exists(name)) stop(w$path, ": no dataset '", name, "'", call. = FALSE)
  as.vector(w$file[[name]]$read())
}

# A data frame with one row per cell of dimensions `dims` (a named list of coordinate vectors),
# the last dimension varying fastest, plus the given value columns.
wedge_grid <- function(dims, values) {
  g <- expand.grid(rev(dims), KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)[names(dims)]
  cbind(g, as.data.frame(values), stringsAsFactors = FALSE)
}

# Columns q05, q25, ... of a dataset whose last dimension is `quantile`.
wedge_quantile_columns <- function(w, group, name) {
  levels <- wedge_read(w, paste0(group, "quantile"))
  q <- matrix(wedge_read(w, paste0(group, name)), ncol = length(levels), byrow = TRUE)
  colnames(q) <- sprintf("q%02d", round(100 * levels))
  q
}

wedge_summary <- function(w) {
  strategy <- wedge_read(w, "strategy")
  outcome <- wedge_read(w, "outcome")
  stats <- c("mean", "sd", "mcse", "min", "max", "wilson_low", "wilson_high")
  values <- sapply(stats, function(s) wedge_read(w, s))
  df <- wedge_grid(list(strategy = strategy, outcome = outcome),
                   cbind(values, wedge_quantile_columns(w, "", "quantiles")))
  i <- match(df$outcome, outcome)
  cbind(df[c("strategy", "outcome")],
        long_name = wedge_read(w, "outcome_long_name")[i], units = wedge_read(w, "outcome_units")[i],
        kind = wedge_read(w, "outcome_kind")[i], df[setdiff(names(df), c("strategy", "outcome"))],
        stringsAsFactors = FALSE)
}

# The fan charts of the strategies that have them ([output] fan_charts: /paths/fan_chart_strategy
# when that is not every strategy).
wedge_paths <- function(w) {
  quarter <- wedge_read(w, "paths/quarter")
  fan <- if (w$file$exists("paths/fan_chart_strategy")) "paths/fan_chart_strategy" else "paths/strategy"
  df <- wedge_grid(list(strategy = wedge_read(w, fan),
                        state = wedge_read(w, "paths/state"), quarter = quarter),
                   cbind(mean = wedge_read(w, "paths/mean"),
                         wedge_quantile_columns(w, "paths/", "quantiles")))
  df$year <- wedge_read(w, "paths/year")[match(df$quarter, quarter)]
  df[c("strategy", "state", "quarter", "year", setdiff(names(df), c("strategy", "state", "quarter", "year")))]
}

# The fan charts of the runs that kept a strategy with a fallback (group "kept") and of those that
# switched to it ("switched"), with the group's run count; NULL when no strategy has groups.
wedge_path_groups <- function(w) {
  if (!w$file$exists("paths/by_group")) return(NULL)
  quarter <- wedge_read(w, "paths/by_group/quarter")
  strategy <- wedge_read(w, "paths/by_group/strategy")
  group <- wedge_read(w, "paths/by_group/group")
  df <- wedge_grid(list(strategy = strategy, group = group,
                        state = wedge_read(w, "paths/by_group/state"), quarter = quarter),
                   cbind(mean = wedge_read(w, "paths/by_group/mean"),
                         wedge_quantile_columns(w, "paths/by_group/", "quantiles")))
  runs <- wedge_grid(list(strategy = strategy, group = group),
                     list(runs = wedge_read(w, "paths/by_group/runs")))
  df$runs <- runs$runs[match(paste(df$strategy, df$group), paste(runs$strategy, runs$group))]
  df$year <- wedge_read(w, "paths/by_group/year")[match(df$quarter, quarter)]
  df[c("strategy", "group", "runs", "state", "quarter", "year",
       setdiff(names(df), c("strategy", "group", "runs", "state", "quarter", "year")))]
}

wedge_events <- function(w) {
  quarter <- wedge_read(w, "paths/quarter")
  df <- wedge_grid(list(strategy = wedge_read(w, "paths/strategy"),
                        event = wedge_read(w, "paths/event"), quarter = quarter),
                   list(probability = wedge_read(w, "paths/event_probability")))
  df$year <- wedge_read(w, "paths/year")[match(df$quarter, quarter)]
  df[c("strategy", "event", "quarter", "year", "probability")]
}

# Paired differences A - B under common random numbers; the interval is mean +- 1.96 s.e.
# A study of one strategy has no pairs: an empty data frame with the same columns.
wedge_comparison <- function(w) {
  if (!w$file$exists("comparison/pair"))
    return(data.frame(pair = character(), first = character(), second = character(),
                      outcome = character(), mean_difference = numeric(),
                      se_difference = numeric(), low = numeric(), high = numeric()))
  pair <- wedge_read(w, "comparison/pair")
  df <- wedge_grid(list(pair = pair, outcome = wedge_read(w, "comparison/outcome")),
                   list(mean_difference = wedge_read(w, "comparison/mean_difference"),
                        se_difference = wedge_read(w, "comparison/se_difference")))
  i <- match(df$pair, pair)
  df$first <- wedge_read(w, "comparison/first")[i]
  df$second <- wedge_read(w, "comparison/second")[i]
  df$low <- df$mean_difference - 1.96 * df$se_difference
  df$high <- df$mean_difference + 1.96 * df$se_difference
  df[c("pair", "first", "second", "outcome", "mean_difference", "se_difference", "low", "high")]
}

wedge_regret <- function(w) {
  strategy <- wedge_read(w, "comparison/strategy")
  df <- data.frame(strategy = strategy, best_share = wedge_read(w, "comparison/best_share"),
                   regret_mean = wedge_read(w, "comparison/regret_mean"),
                   regret_p90 = wedge_read(w, "comparison/regret_p90"), stringsAsFactors = FALSE)
  if (w$file$exists("comparison/criterion")) {
    criterion <- wedge_read(w, "comparison/criterion")
    s <- matrix(wedge_read(w, "comparison/satisficing"), nrow = length(strategy), byrow = TRUE)
    colnames(s) <- paste0("satisficing_", criterion)
    df <- cbind(df, s)
  }
  df
}

wedge_drivers <- function(w) {
  wedge_grid(list(strategy = wedge_read(w, "drivers/strategy"),
                  parameter = wedge_read(w, "drivers/parameter"),
                  decile = wedge_read(w, "drivers/decile"),
                  outcome = wedge_read(w, "drivers/outcome")),
             list(mean = wedge_read(w, "drivers/mean")))
}

# First-order sensitivity indices from the decile bins (strategy x parameter x outcome); an
# empty data frame for a file written before they existed.
wedge_first_order <- function(w) {
  if (!w$file$exists("drivers/first_order"))
    return(data.frame(strategy = character(), parameter = character(), outcome = character(),
                      first_order = numeric()))
  wedge_grid(list(strategy = wedge_read(w, "drivers/strategy"),
                  parameter = wedge_read(w, "drivers/parameter"),
                  outcome = wedge_read(w, "drivers/outcome")),
             list(first_order = wedge_read(w, "drivers/first_order")))
}

# Per-run records (files written with --records all or compact): the parameters, one row per
# run, and the outcomes, one row per run and strategy, one column per recorded outcome (all of
# them, or with compact records those of [output] record_outcomes), as doubles whatever the
# type on disk (uint8 for 0/1 outcomes, int16 for whole numbers). `mode` is "all" or "compact".
wedge_records <- function(w) {
  if (!w$file$exists("records"))
    stop(w$path, ": no /records (the study was run without --records all or compact)", call. = FALSE)
  g <- w$file[["records"]]
  mode <- if (g$attr_exists("records_mode")) h5attr(g, "records_mode") else "all"
  run <- wedge_read(w, "records/run")
  parameter <- wedge_read(w, "records/parameter")
  strategy <- wedge_read(w, "records/strategy")
  outcome <- wedge_read(w, "records/outcome")
  p <- matrix(as.numeric(wedge_read(w, "records/parameters")), ncol = length(parameter), byrow = TRUE)
  colnames(p) <- parameter
  o <- matrix(as.numeric(wedge_read(w, "records/outcomes")), ncol = length(outcome), byrow = TRUE)
  colnames(o) <- outcome
  list(parameters = data.frame(run = as.numeric(run), p, check.names = FALSE),
       outcomes = data.frame(run = rep(as.numeric(run), each = length(strategy)),
                             strategy = rep(strategy, times = length(run)), o,
                             check.names = FALSE, stringsAsFactors = FALSE),
       mode = mode)
}
