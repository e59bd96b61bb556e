#include "wedge/core/parallel.hpp"

#include "wedge/core/error.hpp"

namespace wedge {
namespace {

// The user-defined reduction needs the layout of the words it merges. The whole array is one
// element of a contiguous datatype, so MPI never hands the operation a partial array.
const stats::Layout* g_layout = nullptr;

void merge_op(void* in, void* inout, int* len, MPI_Datatype* /*type*/) {
  for (int i = 0; i < *len; ++i)
    stats::Accumulators::merge_words(*g_layout,
                                     static_cast<const std::uint64_t*>(in) + i * g_layout->words,
                                     static_cast<std::uint64_t*>(inout) + i * g_layout->words);
}

struct ReduceSetup {
  MPI_Datatype type{};
  MPI_Op op{};
  explicit ReduceSetup(const stats::Layout& layout) {
    g_layout = &layout;
    MPI_Type_contiguous(static_cast<int>(layout.words), MPI_UINT64_T, &type);
    MPI_Type_commit(&type);
    MPI_Op_create(merge_op, /*commute=*/1, &op);
  }
  ~ReduceSetup() {
    MPI_Op_free(&op);
    MPI_Type_free(&type);
    g_layout = nullptr;
  }
};

}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

int comm_rank(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r;
}
int comm_size(MPI_Comm comm) {
  int s = 1;
  MPI_Comm_size(comm, &s);
  return s;
}

void reduce_accumulators(stats::Accumulators& acc, MPI_Comm comm, int root) {
  if (comm_size(comm) == 1) return;
  ReduceSetup setup(acc.layout());
  // In place on the root: no second copy of the statistics there.
  const bool at_root = comm_rank(comm) == root;
  if (MPI_Reduce(at_root ? MPI_IN_PLACE : acc.words().data(),
                 at_root ? acc.words().data() : nullptr, 1, setup.type, setup.op, root,
                 comm) != MPI_SUCCESS)
    throw Error("MPI_Reduce of the statistics failed");
}

void allreduce_accumulators(stats::Accumulators& acc, MPI_Comm comm) {
  if (comm_size(comm) == 1) return;
  ReduceSetup setup(acc.layout());
  if (MPI_Allreduce(MPI_IN_PLACE, acc.words().data(), 1, setup.type, setup.op, comm) != MPI_SUCCESS)
    throw Error("MPI_Allreduce of the statistics failed");
}

std::string broadcast_string(const std::string& s, MPI_Comm comm, int root) {
  unsigned long long n = s.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, comm);
  std::string out = s;
  out.resize(n);
  MPI_Bcast(out.data(), static_cast<int>(n), MPI_CHAR, root, comm);
  return out;
}

void on_root(MPI_Comm comm, const std::function<void()>& f) {
  int kind = 0;  // 0 fine, 1 Error (or any exception), 2 InputError
  std::string file, key, message;
  int line = 0;
  if (comm_rank(comm) == 0) {
    try {
      f();
    } catch (const InputError& e) {
      kind = 2, file = e.file(), line = e.line(), key = e.key(), message = e.message();
    } catch (const std::exception& e) {
      kind = 1, message = e.what();
    }
  }
  MPI_Bcast(&kind, 1, MPI_INT, 0, comm);
  if (kind == 0) return;
  MPI_Bcast(&line, 1, MPI_INT, 0, comm);
  file = broadcast_string(file, comm), key = broadcast_string(key, comm),
  message = broadcast_string(message, comm);
  if (kind == 2) throw InputError(file, line, key, message);
  throw Error(message);
}

}  // namespace wedge
