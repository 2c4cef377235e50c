// Makes a mutated pack's checksums right again, so the fuzzer's mutations
// get past the CRC checks of Pack::open and reach the record validation and
// the kernels behind them (a random byte flip otherwise only ever tests
// "bad checksum").
#pragma once

#include <cstddef>
#include <cstdint>

namespace yono::fuzz {

// Recomputes, by the rules of runtime/include/yono/format.h and
// docs/pack-format.md: the CRC of every section the table lists that lies
// inside the buffer, then the header CRC over the header and the table. A
// file_size larger than the buffer is set to the buffer size. Fields
// outside the buffer are left alone; the reader then refuses the pack.
void fix_pack_checksums(uint8_t* data, size_t size);

}  // namespace yono::fuzz
