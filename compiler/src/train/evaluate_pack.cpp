// Top-1 through the runtime: each sample run by a Session over the pack,
// exactly as on the device; several Sessions (one per thread, each with its
// own arena) share the read-only pack as several would on a multi-core part.
#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "progress.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/train/trainer.h"
#include "yono/session.h"

namespace yono::train {
namespace {

// Samples [first, end) into predictions; returns an error message or "".
std::string run_share(const Pack& pack, uint32_t model, const data::Dataset& d,
                      const std::string& label, size_t first, size_t end,
                      std::vector<int32_t>& predictions, std::atomic<size_t>& done,
                      const std::atomic<bool>& failed) {
  AlignedBuffer arena = host_arena(pack, {model}, label);
  Session session(pack, arena.data(), arena.size());
  if (Status s = session.select(model); s != Status::kOk)
    return label + ": cannot select: " + status_string(s);
  const TensorView in = session.input(0);
  for (size_t i = first; i < end && !failed.load(std::memory_order_relaxed); ++i) {
    std::copy(d.sample(i), d.sample(i) + d.sample_numel(), in.data);
    if (Status s = session.invoke(); s != Status::kOk)
      return label + ": invoke failed on test sample " + std::to_string(i) + ": " +
             status_string(s);
    const TensorView out = session.output(0);
    if (out.data == nullptr || out.element_count == 0) return label + ": no output";
    predictions[i] =
        static_cast<int32_t>(std::max_element(out.data, out.data + out.element_count) - out.data);
    done.fetch_add(1, std::memory_order_relaxed);
  }
  return "";
}

}  // namespace

Evaluation evaluate_pack(const Pack& pack, uint32_t model, const data::Dataset& d,
                         const std::string& label, const std::string& data_name, int threads,
                         bool progress) {
  {  // the input must take a sample: checked once, before any thread starts
    AlignedBuffer arena = host_arena(pack, {model}, label);
    Session session(pack, arena.data(), arena.size());
    if (Status s = session.select(model); s != Status::kOk)
      throw Error(label + ": cannot select: " + status_string(s));
    const TensorView in = session.input(0);
    if (in.data == nullptr || in.element_count != d.sample_numel())
      throw Error(label + " takes " + std::to_string(in.element_count) + " values but " +
                  data_name + " samples have " + std::to_string(d.sample_numel()));
  }
  const size_t n = d.size();
  const size_t shares =
      std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n));
  std::vector<int32_t> predictions(n, -1);
  std::vector<std::string> errors(shares);
  std::atomic<size_t> done{0};
  std::atomic<bool> failed{false};
  auto share = [&](size_t t) {
    errors[t] = run_share(pack, model, d, label, n * t / shares, n * (t + 1) / shares, predictions,
                          done, failed);
    if (!errors[t].empty()) failed = true;
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < shares; ++t) workers.emplace_back(share, t);
  CountProgress bar(progress, std::string("eval ") + pack.model_name(model),
                    static_cast<int64_t>(n));
  std::thread first(share, 0);
  while (done.load() < n && !failed.load()) {  // this thread draws the bar
    bar.update(static_cast<int64_t>(done.load()));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  first.join();
  for (std::thread& w : workers) w.join();
  bar.finish();
  for (const std::string& e : errors)
    if (!e.empty()) throw Error(e);
  return score_predictions(predictions, d);
}

}  // namespace yono::train
