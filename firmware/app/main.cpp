// Example application: runs every model of an exported pack (prefix "fw")
// from flash, switching between them in one arena, and reports outputs,
// instruction-proportional tick counts and stack use over semihosting.
//
// Report lines (parsed by compiler/src/measure/firmware_report.cpp for
// firmware/host/fw_check.cpp and `yono bench mcu`):
//   PACK <bytes> <models> <arena bytes>
//   MODEL <index> <name> switch=<ticks> invoke=<ticks> round=<r> arena=<bytes>
//   OUT <model> <round> <output> <element> <ieee754 bits, hex>
//   STACK <bytes>
//   DONE
// or ERROR <what> (also when a start-up self check fails, self_check.h).
#include <string.h>

#include "../src/board.h"
#include "fw_pack.h"
#include "report.h"
#include "self_check.h"
#include "test_input.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace {

alignas(16) uint8_t g_arena[FW_ARENA_SIZE];

int fail(const char* what, yono::Status s) {
  fw::Line().text("ERROR ").text(what).text(": ").text(yono::status_string(s)).emit();
  return 1;
}

}  // namespace

int main() {
  const long half = fw::first_half_mismatch();
  if (half >= 0) {
    fw::Line()
        .text("ERROR half_to_float differs from the portable conversion at 0x")
        .hex32(static_cast<uint32_t>(half))
        .emit();
    return 1;
  }
  ticks_start();
  yono::Pack pack;
  yono::Status s = yono::Pack::open(fw_pack, FW_PACK_SIZE, &pack);
  if (s != yono::Status::kOk) return fail("open", s);
  fw::Line()
      .text("PACK ")
      .u64(FW_PACK_SIZE)
      .text(" ")
      .u64(pack.model_count())
      .text(" ")
      .u64(FW_ARENA_SIZE)
      .emit();

  yono::Session session(pack, g_arena, sizeof(g_arena));
  // Two rounds: the second shows that switching back and forth is stable
  // and its counts are free of first-touch effects.
  for (uint32_t round = 0; round < 2; ++round) {
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      const uint64_t t0 = ticks_now();
      s = session.select(m);
      const uint64_t t1 = ticks_now();
      if (s != yono::Status::kOk) return fail("select", s);
      yono::TensorView in = session.input(0);
      fill_test_input(in.data, in.element_count, m);
      const uint64_t t2 = ticks_now();
      s = session.invoke();
      const uint64_t t3 = ticks_now();
      if (s != yono::Status::kOk) return fail("invoke", s);
      fw::Line()
          .text("MODEL ")
          .u64(m)
          .text(" ")
          .text(pack.model_name(m))
          .text(" switch=")
          .u64(t1 - t0)
          .text(" invoke=")
          .u64(t3 - t2)
          .text(" round=")
          .u64(round)
          .text(" arena=")
          .u64(pack.arena_size(m))
          .emit();
      // Every output of every round: the host checks them all, so a model
      // that computes differently after a switch back is caught.
      for (uint32_t k = 0; k < pack.output_count(m); ++k) {
        const yono::TensorView out = session.output(k);
        for (uint32_t i = 0; i < out.element_count; ++i) {
          uint32_t bits;
          memcpy(&bits, &out.data[i], sizeof(bits));
          fw::Line()
              .text("OUT ")
              .u64(m)
              .text(" ")
              .u64(round)
              .text(" ")
              .u64(k)
              .text(" ")
              .u64(i)
              .text(" ")
              .hex32(bits)
              .emit();
        }
      }
    }
  }
  fw::Line().text("STACK ").u64(stack_high_water()).emit();
  fw::Line().text("DONE").emit();
  return 0;
}
