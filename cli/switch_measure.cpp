// Both paths share one arena sized for the larger model, as a firmware
// would, and before every timed switch the source model runs once, so the
// target starts from the same state each repetition: "model A was running".
#include "switch_measure.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "cli_common.h"
#include "yono/compiler/error.h"
#include "yono/session.h"

namespace yono::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void check(Status s, const Pack& pack, uint32_t model, const char* what) {
  if (s != Status::kOk) {
    throw Error(std::string(what) + " model '" + pack.model_name(model) +
                "' failed: " + status_string(s));
  }
}

// A fixed, non-trivial input: the cost of an inference does not depend on it.
void fill_inputs(Session& session, const Pack& pack, uint32_t model) {
  for (uint32_t i = 0; i < pack.input_count(model); ++i) {
    const TensorView in = session.input(i);
    for (uint32_t k = 0; k < in.element_count; ++k) {
      in.data[k] = static_cast<float>(static_cast<int>(k % 17) - 8) / 8.0f;
    }
  }
}

std::vector<float> first_output(Session& session) {
  const TensorView out = session.output(0);
  return std::vector<float>(out.data, out.data + out.element_count);
}

void run(Session& session, const Pack& pack, uint32_t model) {
  check(session.select(model), pack, model, "selecting");
  fill_inputs(session, pack, model);
  check(session.invoke(), pack, model, "running");
}

size_t shared_arena_size(const SwitchPlan& p) {
  return std::max(p.pack->arena_size(p.from), p.pack->arena_size(p.to));
}

constexpr int kBatch = 1000;

}  // namespace

InMemorySwitch measure_in_memory(const SwitchPlan& plan) {
  const Pack& pack = *plan.pack;
  AlignedBuffer arena(shared_arena_size(plan));
  Session session(pack, arena.data(), arena.size());
  run(session, pack, plan.from);  // warm-up: first touches of both models
  run(session, pack, plan.to);

  std::vector<double> bare, with_infer;
  for (int r = 0; r < plan.repeat; ++r) {
    const Clock::time_point t0 = Clock::now();
    for (int k = 0; k < kBatch; ++k) {
      check(session.select(plan.from), pack, plan.from, "selecting");
      check(session.select(plan.to), pack, plan.to, "selecting");
    }
    const Clock::time_point t1 = Clock::now();
    bare.push_back(seconds(t0, t1) / (2.0 * kBatch));

    run(session, pack, plan.from);
    const Clock::time_point s0 = Clock::now();
    check(session.select(plan.to), pack, plan.to, "selecting");
    const Clock::time_point s1 = Clock::now();
    fill_inputs(session, pack, plan.to);  // the application's work, not the switch's
    const Clock::time_point s2 = Clock::now();
    check(session.invoke(), pack, plan.to, "running");
    const Clock::time_point s3 = Clock::now();
    with_infer.push_back(seconds(s0, s1) + seconds(s2, s3));
  }
  return {median(bare), median(with_infer), kBatch};
}

FileSwitch measure_from_file(const SwitchPlan& plan, const ModelFile& file) {
  const Pack& pack = *plan.pack;
  AlignedBuffer arena(shared_arena_size(plan));
  Session session(pack, arena.data(), arena.size());
  run(session, pack, plan.to);
  const std::vector<float> reference = first_output(session);

  // The RAM the loaded model lives in is set aside once, as on a device.
  bench::AlignedBytes ram(bench::round_up(file.bytes, file.alignment), file.alignment);
  std::vector<double> read, open, select, total, with_infer;
  for (int r = 0; r < plan.repeat; ++r) {
    run(session, pack, plan.from);
    const Clock::time_point t0 = Clock::now();
    const size_t got = bench::read_uncached(file.path, file.mode, file.alignment, ram);
    const Clock::time_point t1 = Clock::now();
    if (got != file.bytes) {
      throw Error(file.path + ": read " + std::to_string(got) + " bytes, expected " +
                  std::to_string(file.bytes));
    }
    Pack loaded;
    const Status opened = Pack::open(ram.data(), got, &loaded);
    const Clock::time_point t2 = Clock::now();
    if (opened != Status::kOk) throw Error(file.path + ": " + status_string(opened));
    Session fresh(loaded, arena.data(), arena.size());
    check(fresh.select(0), loaded, 0, "selecting");
    const Clock::time_point t3 = Clock::now();
    fill_inputs(fresh, loaded, 0);
    const Clock::time_point t4 = Clock::now();
    check(fresh.invoke(), loaded, 0, "running");
    const Clock::time_point t5 = Clock::now();
    const std::vector<float> got_out = first_output(fresh);
    if (r == 0 && (got_out.size() != reference.size() ||
                   std::memcmp(got_out.data(), reference.data(), 4 * got_out.size()) != 0)) {
      throw Error(file.path + ": model '" + pack.model_name(plan.to) +
                  "' loaded alone gives a different output than inside the pack");
    }
    read.push_back(seconds(t0, t1));
    open.push_back(seconds(t1, t2));
    select.push_back(seconds(t2, t3));
    total.push_back(seconds(t0, t3));
    with_infer.push_back(seconds(t0, t3) + seconds(t4, t5));
  }
  return {median(read), median(open), median(select), median(total), median(with_infer)};
}

}  // namespace yono::cli
