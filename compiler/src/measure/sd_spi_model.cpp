#include "yono/compiler/measure/sd_spi_model.h"

#include <cmath>
#include <string>

#include "yono/compiler/error.h"

namespace yono::measure {

void check_sd_spi_model(const SdSpiModel& m) {
  if (!(m.spi_clock_hz > 0) || !std::isfinite(m.spi_clock_hz)) {
    throw Error("SD model: SPI clock must be a positive number of Hz");
  }
  if (m.block_bytes == 0) throw Error("SD model: block size must be at least 1 byte");
  if (!(m.access_time_s >= 0) || !std::isfinite(m.access_time_s)) {
    throw Error("SD model: access time must be zero or positive");
  }
  if (!(m.spi_efficiency > 0 && m.spi_efficiency <= 1)) {
    throw Error("SD model: SPI efficiency must be in (0, 1]");
  }
}

SdReadCost sd_read_cost(uint64_t bytes, const SdSpiModel& m) {
  check_sd_spi_model(m);
  SdReadCost c;
  c.blocks = (bytes + m.block_bytes - 1) / m.block_bytes;
  c.wire_bytes =
      c.blocks * (uint64_t{m.command_bytes} + m.block_framing_bytes + uint64_t{m.block_bytes});
  c.access_s = static_cast<double>(c.blocks) * m.access_time_s;
  c.transfer_s = static_cast<double>(c.wire_bytes) * 8.0 / (m.spi_clock_hz * m.spi_efficiency);
  c.total_s = c.access_s + c.transfer_s;
  return c;
}

}  // namespace yono::measure
