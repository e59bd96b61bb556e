#pragma once
// The model interface. The engine (streams, sampling, designs, statistics, HDF5, checkpoints,
// MPI) runs any model that declares its vocabulary when its configuration is read and simulates
// a block of runs under every strategy (docs/models.md says how to add one).
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"

namespace wedge {

namespace detail {
class Section;
}

//! Which random numbers a block of runs uses: the run indices that key the model's streams
//! (first_run .. first_run + kBlock - 1) and a variant that the model folds into the purpose
//! word of every stream it draws (rng::noise_purpose): 0 is the study's own noise, 1 the B
//! noise of a Saltelli design (its `intrinsic` input). Converts from a run index (variant 0).
struct NoiseKey {
  NoiseKey(std::uint64_t first, std::uint32_t v = 0) : first_run(first), variant(v) {}
  std::uint64_t first_run;
  std::uint32_t variant;
};

class Model {
 public:
  virtual ~Model() = default;
  //! Simulates every strategy for runs [first_run, first_run + kBlock) of `noise`: `inputs`
  //! holds one row per uncertain input of the configuration; `out` gets one BlockOutcomes (one
  //! row per outcome) per strategy. `paths` may be null. Must be a pure function of the
  //! configuration, the seed, the noise key and the inputs (common random numbers across
  //! strategies): the same key gives the same noise whatever the inputs.
  virtual void simulate_block(NoiseKey noise, const BlockParams& inputs,
                              std::vector<BlockOutcomes>& out, PathSink* paths) const = 0;
};

//! A model the configuration can name (`[study] model`).
struct ModelType {
  std::string_view name;
  std::string_view stamp;  //!< the result file's `model` attribute: the model and its version
  std::string_view description;
  bool uses_time;  //!< reads [time] (quarters, dt, start_year, switch_quarter)
  //! Reads the model's own sections of the configuration and declares its vocabulary into
  //! `cfg`: its parameters (as inputs, priors read later from [parameters]), levers, path
  //! states, outcomes with their ranges, its coefficients (model_settings), and any uncertain
  //! coefficients (appended to the inputs).
  void (*read)(detail::Section& top, Config& cfg);
  //! Optional (null for none): completes the model's part of the configuration once the
  //! priors are known (e.g. outcome ranges that depend on them). Throws InputError.
  void (*finish)(Config& cfg);
  std::unique_ptr<Model> (*create)(const Config& cfg);
};

//! The models wedge knows, in the order `wedge validate --help` lists them.
const std::vector<const ModelType*>& model_types();
//! The model named `name`, or null.
const ModelType* find_model_type(std::string_view name);
//! The kernel of the configuration's model.
std::unique_ptr<Model> make_model(const Config& cfg);

}  // namespace wedge
