// Scaling an image plane to another size, for image folders whose files
// differ in size (`--resize HxW`). Shrinking averages the area each output
// pixel covers, so every input pixel counts and thin strokes survive (point
// or bilinear sampling skips pixels when shrinking by more than 2x);
// enlarging interpolates bilinearly between pixel centres. Each axis picks
// its own method, so 40x20 -> 28x28 shrinks one axis and enlarges the other.
#pragma once

namespace yono::data {

// in: in_h x in_w values, row-major; out: out_h x out_w values. Same sizes
// copy exactly. Sizes must be positive.
void resize_plane(const float* in, int in_h, int in_w, float* out, int out_h, int out_w);

}  // namespace yono::data
