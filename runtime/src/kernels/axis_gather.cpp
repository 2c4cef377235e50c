// AxisGather for f32 and int8 activations: the same walk (axis_gather.h).
#include "axis_gather.h"

#include "yono/kernels.h"
#include "yono/kernels_s8.h"

namespace yono {

void axis_gather_f32(const AxisGatherParams& p, const uint32_t* offsets, const float* input,
                     float* output) {
  kernels::axis_gather(p, offsets, input, output);
}

void axis_gather_s8(const AxisGatherParams& p, const uint32_t* offsets, const int8_t* input,
                    int8_t* output) {
  kernels::axis_gather(p, offsets, input, output);
}

}  // namespace yono
