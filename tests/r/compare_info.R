# Every number that `wedge info --all` prints for FILE equals the R reader's (analysis/R/wedge.R),
# formatted to the printed precision; the records agree with the summary; bad files are refused.
#   Rscript tests/r/compare_info.R SOURCE_DIR FILE INFO_TXT SCRATCH_DIR
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 5)
source(file.path(args[1], "analysis", "R", "wedge.R"))
path <- args[2]
info <- readLines(args[3])
scratch <- args[4]
compact <- args[5]  # the same study with compact records of split and hybrid_attacks

passed <- 0L
failed <- 0L
check <- function(cond, what) {
  if (isTRUE(cond)) {
    passed <<- passed + 1L
    cat("ok:", what, "\n")
  } else {
    failed <<- failed + 1L
    cat("FAIL:", what, "\n")
  }
}
# `wedge info` prints with iostream's fixed format (C's %.Nf) and "-" for NaN.
fmt <- function(v, digits) ifelse(is.nan(v), "-", sprintf(paste0("%.", digits, "f"), v))
# Compares printed strings with R's values; returns the number compared, reports the first misses.
compare <- function(printed, values, digits, what) {
  mine <- fmt(values, digits)
  if (length(printed) != length(mine)) {
    cat("  ", what, ": ", length(printed), " values printed, ", length(mine), " in R\n", sep = "")
    return(NA_integer_)
  }
  bad <- which(printed != mine)
  if (length(bad) > 0)
    cat("  ", what, ": printed ", paste(head(printed[bad], 5), collapse = " "), " vs R ",
        paste(head(mine[bad], 5), collapse = " "), "\n", sep = "")
  if (length(bad) > 0) return(NA_integer_)
  length(printed)
}
tokens <- function(line) strsplit(trimws(line), " +")[[1]]
# Lines after the one matching `header` up to the next blank line.
block <- function(header) {
  start <- grep(header, info)[1]
  if (is.na(start)) return(character())
  rest <- info[(start + 1):length(info)]
  end <- which(rest == "")[1]
  if (is.na(end)) rest else rest[seq_len(end - 1)]
}

w <- wedge_open(path)
a <- wedge_attrs(w)
s <- wedge_summary(w)
strategies <- unique(s$strategy)
outcomes <- unique(s$outcome)
cell <- function(strategy, outcome, column) s[s$strategy == strategy & s$outcome == outcome, column]

# --- the summary table ------------------------------------------------------------------------
head_line <- grep("^wedge summary: ", info, value = TRUE)[1]
check(identical(head_line, sprintf("wedge summary: %s runs x %d strategies (95%% Wilson intervals; mean +- MC s.e.)",
                                   format(a$runs, scientific = FALSE), length(strategies))),
      paste("runs and strategies:", head_line))
summary_block <- block("^wedge summary: ")
# Each P(...) line: "mean [low,high]" per strategy equals those of one binary outcome.
p_lines <- grep("^P\\(", summary_block, value = TRUE)
matched <- 0L
for (line in p_lines) {
  cells <- regmatches(line, gregexpr("-?[0-9]+\\.[0-9]+ \\[-?[0-9.]+,-?[0-9.]+\\]", line))[[1]]
  hits <- Filter(function(o) {
    mine <- sapply(strategies, function(st)
      sprintf("%s [%s,%s]", fmt(cell(st, o, "mean"), 3), fmt(cell(st, o, "wilson_low"), 3),
              fmt(cell(st, o, "wilson_high"), 3)))
    identical(unname(mine), cells)
  }, outcomes)
  if (length(hits) >= 1) matched <- matched + 1L else cat("  no outcome gives:", line, "\n")
}
check(length(p_lines) >= 5 && matched == length(p_lines),
      sprintf("%d of %d probability lines (mean and Wilson interval) equal an outcome's", matched,
              length(p_lines)))
r <- wedge_regret(w)
best <- tokens(sub("^share of runs best \\(payoff\\)", "", grep("^share of runs best", summary_block, value = TRUE)))
check(!is.na(compare(best, r$best_share, 3, "best share")), "share of runs best")
regret <- tokens(gsub("/", "", sub("^regret mean / p90", "", grep("^regret mean", summary_block, value = TRUE))))
check(!is.na(compare(regret, as.vector(rbind(r$regret_mean, r$regret_p90)), 3, "regret")),
      "regret mean / p90")
for (col in grep("^satisficing_", names(r), value = TRUE)) {
  crit <- sub("^satisficing_", "", col)
  line <- grep(paste0("^satisficing '", crit, "'"), summary_block, value = TRUE)
  check(!is.na(compare(tokens(sub("^satisficing '[^']*'", "", line)), r[[col]], 3, col)),
        paste("satisficing", crit))
}

# --- every outcome, per strategy ----------------------------------------------------------------
outcome_block <- block("^every outcome: mean")
n <- 0L
for (st in strategies) {
  at <- which(outcome_block == st)
  rows <- outcome_block[at + 1 + seq_along(outcomes)]
  for (row in rows) {
    t <- tokens(row)
    o <- t[1]
    got <- c(compare(t[2], cell(st, o, "mean"), 3, o), compare(t[3], cell(st, o, "mcse"), 4, o),
             compare(t[c(4, 5, 11)], c(cell(st, o, "sd"), cell(st, o, "min"), cell(st, o, "max")), 3, o),
             compare(t[6:10], unlist(cell(st, o, c("q05", "q25", "q50", "q75", "q95"))), 3, o))
    n <- n + if (anyNA(got)) -1e6L else sum(got)
  }
}
check(n == length(strategies) * length(outcomes) * 10,
      sprintf("every outcome table: %d values (mean, s.e., sd, min, 5 quantiles, max) equal", max(n, 0)))

# --- paired differences of every outcome ----------------------------------------------------------
cmp <- wedge_comparison(w)
pairs <- unique(cmp$pair)
pair_block <- block("^paired differences of every outcome")
n <- 0L
for (row in pair_block[-1]) {
  t <- tokens(row)
  t <- t[t != "+-"]
  o <- t[1]
  d <- cmp[cmp$outcome == o, ][match(pairs, cmp$pair[cmp$outcome == o]), ]
  got <- compare(t[-1], as.vector(rbind(d$mean_difference, d$se_difference)), 4, o)
  n <- n + if (is.na(got)) -1e6L else got
}
check(length(pairs) > 0 && n == 2 * length(pairs) * length(outcomes),
      sprintf("paired differences: %d values (mean and s.e. of %d pairs) equal", max(n, 0), length(pairs)))

# --- states over time: median [5%, 95%] at the end of each year ----------------------------------
# Columns: each strategy's fan chart, then for one with a fallback its kept and switched runs.
paths <- wedge_paths(w)
groups <- wedge_path_groups(w)
check(!is.null(groups) && setequal(unique(groups$strategy), c("conciliation", "engagement_with_deterrence")),
      "fan charts by group for the strategies with a fallback, and only those")
states <- unique(paths$state)
state_block <- block("^states over time")
columns <- 0L
n <- 0L
years_ok <- TRUE
for (state in states) {
  at <- which(state_block == state)
  rows <- state_block[at + 1 + seq_len(length(unique(paths$quarter)) %/% 4)]
  for (i in seq_along(rows)) {
    t <- tokens(gsub("[],[]", " ", rows[i]))
    q <- 4 * i - 1
    p <- paths[paths$state == state & paths$quarter == q, ]
    p <- p[match(strategies, p$strategy), ]
    years_ok <- years_ok && as.numeric(t[1]) == p$year[1] - 1
    want <- c()
    for (st in strategies) {
      want <- c(want, unlist(p[p$strategy == st, c("q50", "q05", "q95")]))
      for (g in c("kept", "switched")) {
        r <- groups[groups$strategy == st & groups$group == g & groups$state == state & groups$quarter == q, ]
        if (nrow(r) == 1) want <- c(want, r$q50, r$q05, r$q95)
      }
    }
    columns <- length(want) %/% 3
    got <- compare(t[-1], unname(want), 3, paste(state, t[1]))
    n <- n + if (is.na(got)) -1e6L else got
  }
}
check(columns == length(strategies) + 4 &&
        n == 3 * columns * length(states) * length(unique(paths$quarter)) %/% 4,
      sprintf("fan charts, with kept and switched runs: %d values (median, 5%%, 95%% at each year's end) equal",
              max(n, 0)))
check(years_ok, "the year printed is the end of the year of that quarter")

# --- event timing -----------------------------------------------------------------------------------
ev <- wedge_events(w)
events <- unique(ev$event)
event_block <- block("^probability that the event has happened")
rows <- grep("^  [0-9]{4} ", event_block, value = TRUE)
n <- 0L
for (i in seq_along(rows)) {
  t <- tokens(rows[i])
  e <- ev[ev$quarter == 4 * i - 1, ]
  e <- e[order(match(e$strategy, strategies), match(e$event, events)), ]
  got <- compare(t[-1], e$probability, 3, t[1])
  n <- n + if (is.na(got)) -1e6L else got
}
check(n == length(strategies) * length(events) * length(unique(ev$quarter)) %/% 4,
      sprintf("event timing: %d probabilities equal", max(n, 0)))

# --- drivers: outcome means by parameter decile ---------------------------------------------------
dr <- wedge_drivers(w)
heads <- grep(" by decile of each parameter", info)
n <- 0L
expected <- 0L
for (h in heads) {
  o <- sub("^(P\\(|mean )([a-z_]+).*", "\\2", info[h])
  tab <- block(paste0("^", gsub("([()])", "\\\\\\1", sub(" by decile.*", "", info[h])), " by decile"))
  st <- NA
  for (row in tab) {
    if (grepl("^  [^ ]", row)) { st <- trimws(row); next }
    t <- tokens(row)
    d <- dr[dr$strategy == st & dr$parameter == t[1] & dr$outcome == o, ]
    got <- compare(t[-1], d$mean[order(d$decile)], 3, paste(o, st, t[1]))
    n <- n + if (is.na(got)) -1e6L else got
  }
  expected <- expected + length(strategies) * length(unique(dr$parameter)) * length(unique(dr$decile))
}
check(length(heads) >= 4 && n == expected,
      sprintf("drivers: %d decile means of %d outcomes equal", max(n, 0), length(heads)))

# --- first-order indices, one table per outcome of the drivers tables --------------------------
fo <- wedge_first_order(w)
heads <- grep("^first-order sensitivity index of ", info)
n <- 0L
for (h in heads) {
  o <- sub("^first-order sensitivity index of ([a-z_]+) .*", "\\1", info[h])
  tab <- block(paste0("^first-order sensitivity index of ", o, " "))[-1]
  for (row in tab) {
    t <- tokens(row)
    got <- compare(t[-1], fo$first_order[fo$parameter == t[1] & fo$outcome == o][
      match(strategies, fo$strategy[fo$parameter == t[1] & fo$outcome == o])], 3, paste(o, t[1]))
    n <- n + if (is.na(got)) -1e6L else got
  }
}
check(length(heads) >= 4 && n >= length(heads) * length(strategies) * 5,
      sprintf("first-order indices: %d values of %d outcomes equal", max(n, 0), length(heads)))

# --- records (the means differ from the summary's by the fixed-point rounding of its sums) ------------------------------------------------------------------------------------------
rec <- wedge_records(w)
check(nrow(rec$parameters) == a$runs && identical(rec$parameters$run, as.numeric(seq_len(a$runs) - 1)),
      sprintf("records: runs 0..%d", a$runs - 1))
check(nrow(rec$outcomes) == a$runs * length(strategies), "records: one row per run and strategy")
means <- aggregate(rec$outcomes[outcomes], by = list(strategy = rec$outcomes$strategy), FUN = mean)
diff <- 0
for (st in strategies) for (o in outcomes)
  diff <- max(diff, abs(means[means$strategy == st, o] - cell(st, o, "mean")))
check(diff < 1e-9, sprintf("records: per-strategy means equal the summary's (max difference %.1e)", diff))
mins <- aggregate(rec$outcomes[outcomes], by = list(strategy = rec$outcomes$strategy), FUN = min)
check(all(sapply(strategies, function(st) all(unlist(mins[mins$strategy == st, outcomes]) ==
                                                  s$min[s$strategy == st]))),
      "records: per-strategy minima equal the summary's exactly")
wc <- wedge_open(compact)
crec <- wedge_records(wc)
wedge_close(wc)
check(rec$mode == "all" && crec$mode == "compact", "records: the mode of each file")
check(identical(names(crec$outcomes), c("run", "strategy", "split", "hybrid_attacks")) &&
        is.double(crec$outcomes$hybrid_attacks) &&
        identical(crec$outcomes[c("split", "hybrid_attacks")], rec$outcomes[c("split", "hybrid_attacks")]) &&
        identical(crec$parameters, rec$parameters),
      "records: compact records (uint8/int16 on disk) are the full records' columns, as doubles")
wedge_close(w)

# --- what the reader refuses --------------------------------------------------------------------------
refused <- function(expr, pattern, what) {
  msg <- tryCatch({ force(expr); "" }, error = function(e) conditionMessage(e))
  check(grepl(pattern, msg), paste0(what, ": ", if (nzchar(msg)) msg else "accepted"))
}
old <- file.path(scratch, "v2.h5")
invisible(file.copy(path, old, overwrite = TRUE))
f <- H5File$new(old, mode = "r+")
h5attr(f, "format_version") <- 2L
f$close_all()
refused(wedge_open(old), "v2.h5: format version 2 is not supported by this reader \\(it reads version 5\\)",
        "format version 2 refused")
other <- file.path(scratch, "other.h5")
f <- H5File$new(other, mode = "w")
h5attr(f, "filetype") <- "something-else"
f$close_all()
refused(wedge_open(other), "other.h5: not a wedge result file", "other filetype refused")
refused(wedge_open(file.path(args[1], "configs", "baseline.toml")), "not an HDF5 file", "a text file refused")
norec <- file.path(scratch, "norec.h5")
invisible(file.copy(path, norec, overwrite = TRUE))
f <- H5File$new(norec, mode = "r+")
f$link_delete("records")
f$close_all()
w <- wedge_open(norec)
refused(wedge_records(w), "norec.h5: no /records", "records asked of a file without them")
wedge_close(w)

cat(passed, " passed, ", failed, " failed\n", sep = "")
quit(status = if (failed == 0) 0 else 1)
