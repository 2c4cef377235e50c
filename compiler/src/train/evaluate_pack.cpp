// Top-1 through the runtime: each sample run by a Session over the pack,
// exactly as on the device.
#include <algorithm>
#include <string>

#include "yono/compiler/error.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/train/trainer.h"
#include "yono/session.h"

namespace yono::train {

Evaluation evaluate_pack(const Pack& pack, uint32_t model, const data::Dataset& d,
                         const std::string& label, const std::string& data_name) {
  AlignedBuffer arena = host_arena(pack, {model}, label);
  Session session(pack, arena.data(), arena.size());
  if (Status s = session.select(model); s != Status::kOk)
    throw Error(label + ": cannot select: " + status_string(s));
  const TensorView in = session.input(0);
  if (in.data == nullptr || in.element_count != d.sample_numel())
    throw Error(label + " takes " + std::to_string(in.element_count) + " values but " + data_name +
                " samples have " + std::to_string(d.sample_numel()));
  std::vector<int32_t> predictions;
  predictions.reserve(d.size());
  for (size_t i = 0; i < d.size(); ++i) {
    std::copy(d.sample(i), d.sample(i) + d.sample_numel(), in.data);
    if (Status s = session.invoke(); s != Status::kOk)
      throw Error(label + ": invoke failed on test sample " + std::to_string(i) + ": " +
                  status_string(s));
    const TensorView out = session.output(0);
    if (out.data == nullptr || out.element_count == 0) throw Error(label + ": no output");
    predictions.push_back(
        static_cast<int32_t>(std::max_element(out.data, out.data + out.element_count) - out.data));
  }
  return score_predictions(predictions, d);
}

}  // namespace yono::train
