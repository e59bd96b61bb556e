# libwedge's sources, by layer, relative to src/: one list for the library (src/CMakeLists.txt)
# and for the fuzz harnesses' reader library (tests/fuzz/CMakeLists.txt), so that a new module
# cannot be missing from either.
set(WEDGE_SOURCES
  core/config.cpp core/evidence.cpp core/evidence_offset.cpp core/parallel.cpp core/prior.cpp core/quarter.cpp
  core/ranking.cpp core/runner.cpp core/sampling.cpp core/sensitivity.cpp core/sobol_design.cpp
  core/stats.cpp core/stats_weighted.cpp
  models/box.cpp models/coin.cpp models/ishigami.cpp models/registry.cpp models/sobol_g.cpp
  models/strategic_triangle.cpp models/strategic_triangle_config.cpp
  io/checkpoint.cpp io/config_reader.cpp io/discovery_read.cpp io/discovery_write.cpp
  io/evidence_reader.cpp io/evidence_write.cpp io/file_checksum.cpp io/hdf5_util.cpp io/history_reader.cpp io/merge.cpp
  io/output_lock.cpp io/path_groups.cpp io/prior_reader.cpp io/qmc_write.cpp io/records.cpp
  io/resolved_reader.cpp io/results_read.cpp io/results_strategies.cpp io/results_write.cpp
  io/scores_write.cpp io/sensitivity_write.cpp io/study_keys.cpp io/sweep_reader.cpp
  io/toml_reader.cpp
  analyses/compare.cpp analyses/condition.cpp analyses/evidence_summary.cpp analyses/first_order.cpp analyses/prim.cpp
  analyses/qmc.cpp analyses/robust.cpp analyses/scoring.cpp analyses/sensitivity_tables.cpp
  analyses/summary.cpp
  study/console.cpp study/discover.cpp study/discover_console.cpp study/resolve.cpp
  study/score.cpp study/study.cpp
  app/cli.cpp)
