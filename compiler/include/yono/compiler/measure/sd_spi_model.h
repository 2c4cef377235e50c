// Time to read bytes from an SD card in SPI mode, the external storage a
// microcontroller without YONO would load a model's weights from. A cost
// model, not a measurement: every constant is a field the CLI exposes.
#pragma once

#include <cstdint>

namespace yono::measure {

struct SdSpiModel {
  // SD Physical Layer Simplified Specification: default-speed cards accept an
  // SPI clock of up to 25 MHz; SPI mode moves one bit per clock.
  double spi_clock_hz = 25e6;
  // Specification: SDHC/SDXC cards read in fixed 512-byte blocks.
  uint32_t block_bytes = 512;
  // Specification: each data block is framed by a 1-byte start token and a
  // 2-byte CRC16.
  uint32_t block_framing_bytes = 3;
  // Per-block command on the wire, one CMD17 (single-block read) per block:
  // the 6-byte (48-bit) command frame, then the command response time NCR
  // (the specification allows up to 8 bytes; we assume 1) and the 1-byte R1
  // response. Stated assumption: one command per block, as with CMD17.
  uint32_t command_bytes = 8;
  // Stated assumption: card-internal read access time per block (command to
  // start token). The specification only bounds it (100 ms read timeout for
  // SDHC); a NAND page read takes tens of microseconds and the card's
  // controller adds to it, so we take 100 us.
  double access_time_s = 100e-6;
  // Stated assumption: fraction of SPI clocks that carry data. 1.0 means no
  // gaps between bytes (DMA), the most favourable case for the SD baseline.
  double spi_efficiency = 1.0;
};

struct SdReadCost {
  uint64_t blocks = 0;      // ceil(bytes / block_bytes); a partial block is read whole
  uint64_t wire_bytes = 0;  // blocks * (command + framing + block) bytes clocked over SPI
  double access_s = 0;      // blocks * access_time_s
  double transfer_s = 0;    // wire_bytes * 8 / (spi_clock_hz * spi_efficiency)
  double total_s = 0;       // access_s + transfer_s
};

// Throws yono::Error naming the bad constant (clock, block size or
// efficiency out of range, negative access time).
void check_sd_spi_model(const SdSpiModel& model);
SdReadCost sd_read_cost(uint64_t bytes, const SdSpiModel& model);

}  // namespace yono::measure
