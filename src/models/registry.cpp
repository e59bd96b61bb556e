#include "wedge/core/model.hpp"
#include "wedge/models/strategic_triangle.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge {

const std::vector<const ModelType*>& model_types() {
  static const std::vector<const ModelType*> types = {
      &triangle::kModelType, &test_models::kIshigami, &test_models::kSobolG, &test_models::kBox,
      &test_models::kCoin};
  return types;
}

const ModelType* find_model_type(std::string_view name) {
  for (const ModelType* m : model_types())
    if (m->name == name) return m;
  return nullptr;
}

std::unique_ptr<Model> make_model(const Config& cfg) {
  return find_model_type(cfg.model)->create(cfg);
}

}  // namespace wedge
