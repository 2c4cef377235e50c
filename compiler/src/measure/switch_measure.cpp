// Both paths share one arena sized for the larger model, as a firmware
// would, and before every timed switch the source model runs once, so the
// target starts from the same state each time: "model A was running".
#include "yono/compiler/measure/switch_measure.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "yono/compiler/error.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/session.h"

namespace yono::measure {
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

double minimum(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
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

constexpr int kBatch = 1000;

// One select is below the clock's resolution, so time a batch.
double bare_switch(Session& session, const SwitchPlan& plan) {
  const Pack& pack = *plan.pack;
  const Clock::time_point t0 = Clock::now();
  for (int k = 0; k < kBatch; ++k) {
    check(session.select(plan.from), pack, plan.from, "selecting");
    check(session.select(plan.to), pack, plan.to, "selecting");
  }
  return seconds(t0, Clock::now()) / (2.0 * kBatch);
}

// select(to) + invoke, the input written in between (the application's work).
double in_memory_switch_infer(Session& session, const SwitchPlan& plan) {
  const Pack& pack = *plan.pack;
  run(session, pack, plan.from);
  const Clock::time_point t0 = Clock::now();
  check(session.select(plan.to), pack, plan.to, "selecting");
  const Clock::time_point t1 = Clock::now();
  fill_inputs(session, pack, plan.to);
  const Clock::time_point t2 = Clock::now();
  check(session.invoke(), pack, plan.to, "running");
  const Clock::time_point t3 = Clock::now();
  return seconds(t0, t1) + seconds(t2, t3);
}

struct FileSample {
  double read_s, open_s, select_s, switch_s, switch_infer_s;
  std::vector<float> output;
};

FileSample file_switch_infer(Session& session, const SwitchPlan& plan, const ModelFile& file,
                             AlignedBuffer& ram, uint8_t* arena, size_t arena_size) {
  run(session, *plan.pack, plan.from);
  const Clock::time_point t0 = Clock::now();
  const size_t got = measure::read_uncached(file.path, file.mode, file.alignment, ram);
  const Clock::time_point t1 = Clock::now();
  if (got != file.bytes) {
    throw Error(file.path + ": read " + std::to_string(got) + " bytes, expected " +
                std::to_string(file.bytes));
  }
  Pack loaded;
  const Status opened = Pack::open(ram.data(), got, &loaded);
  const Clock::time_point t2 = Clock::now();
  if (opened != Status::kOk) throw Error(file.path + ": " + status_string(opened));
  Session fresh(loaded, arena, arena_size);
  check(fresh.select(0), loaded, 0, "selecting");
  const Clock::time_point t3 = Clock::now();
  fill_inputs(fresh, loaded, 0);
  const Clock::time_point t4 = Clock::now();
  check(fresh.invoke(), loaded, 0, "running");
  const Clock::time_point t5 = Clock::now();
  return {seconds(t0, t1),
          seconds(t1, t2),
          seconds(t2, t3),
          seconds(t0, t3),
          seconds(t0, t3) + seconds(t4, t5),
          first_output(fresh)};
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), 4 * a.size()) == 0;
}

}  // namespace

SwitchMeasurement measure_switch(const SwitchPlan& plan, const ModelFile& file) {
  const Pack& pack = *plan.pack;
  AlignedBuffer arena = host_arena(pack, {plan.from, plan.to}, "bench switch");
  Session session(pack, arena.data(), arena.size());
  run(session, pack, plan.from);  // warm-up: first touches of both models
  run(session, pack, plan.to);
  const std::vector<float> reference = first_output(session);

  // The RAM the loaded model lives in is set aside once, as on a device.
  AlignedBuffer ram(measure::round_up(file.bytes, file.alignment), file.alignment);
  std::vector<double> bare, mem_infer, read, open, select, total, file_infer;
  for (int r = 0; r < plan.repeat; ++r) {
    bare.push_back(bare_switch(session, plan));
    FileSample f{};
    if (r % 2 == 0) {
      mem_infer.push_back(in_memory_switch_infer(session, plan));
      f = file_switch_infer(session, plan, file, ram, arena.data(), arena.size());
    } else {
      f = file_switch_infer(session, plan, file, ram, arena.data(), arena.size());
      mem_infer.push_back(in_memory_switch_infer(session, plan));
    }
    if (r == 0 && !same_bits(f.output, reference)) {
      throw Error(file.path + ": model '" + pack.model_name(plan.to) +
                  "' loaded alone gives a different output than inside the pack");
    }
    read.push_back(f.read_s);
    open.push_back(f.open_s);
    select.push_back(f.select_s);
    total.push_back(f.switch_s);
    file_infer.push_back(f.switch_infer_s);
  }
  SwitchMeasurement m;
  m.memory = {median(bare), median(mem_infer), kBatch, minimum(mem_infer)};
  m.file = {median(read),       median(open),   median(select),     median(total),
            median(file_infer), minimum(total), minimum(file_infer)};
  return m;
}

}  // namespace yono::measure
