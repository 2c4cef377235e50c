// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by zlib and
// PNG. Shared by the pack writer and the on-device reader; no heap, no
// large table, so it fits in flash next to the runtime.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace yono {

// Pass the previous result as seed to checksum data in pieces:
// crc32(b, nb, crc32(a, na)) == crc32(a followed by b).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t seed = 0);

}  // namespace yono
