// Start-up checks of the runtime's target-specific code paths, run in QEMU
// by the firmware test: each optimised routine against its portable
// reference, exhaustively where the input space allows.
#pragma once

namespace fw {

// half_to_float (VCVTB on an FPU with half conversion) against
// half_to_float_portable for all 65,536 bit patterns but NaNs. Returns the
// first mismatching pattern, or -1 when all agree.
long first_half_mismatch();

}  // namespace fw
