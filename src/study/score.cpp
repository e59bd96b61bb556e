#include "wedge/study/score.hpp"

#include <ostream>

#include "wedge/analyses/scoring.hpp"
#include "wedge/io/output_lock.hpp"
#include "wedge/io/resolved_reader.hpp"
#include "wedge/io/scores.hpp"

namespace wedge {

void score_study(const std::string& results, const std::string& resolved, const std::string& out,
                 std::ostream& os) {
  if (!out.empty()) io::check_scores_output(out, results);
  const io::LoadedResults r = io::read_results(results);
  const ResolvedQuestions rq = read_resolved(resolved, r.config);
  const Scores sc = score_questions(r.config, r.acc, rq.questions);
  if (!out.empty()) {
    const io::OutputLock lock(out, MPI_COMM_SELF);  // score runs on rank 0 alone
    io::write_scores(out, results, r, rq, sc);
  }
  print_scores(os, r.config, rq, sc, r.prov.runs);
  if (!out.empty()) os << "\nwrote " << out << "\n";
}

}  // namespace wedge
