#include "layers.h"

namespace peer {

namespace {
constexpr Kind C = Kind::kConv, DW = Kind::kDepthwise, FC = Kind::kDense, ADD = Kind::kAdd,
               GAP = Kind::kGlobalAvgPool;
}  // namespace

const Layer kLayers[] = {
    // bench/weight_kernels_bench.cpp (PQ with its K=256 variants: D=9 for
    // 3x3 slices, D=4 for pointwise, 1-D and dense rows)
    {"bench", "conv3x3_32to32_16x16", C, 32, 16, 16, 32, 3, 3, 1, 9},
    {"bench", "depthwise3x3_64ch_25x5", DW, 64, 25, 5, 64, 3, 3, 1, 9},
    {"bench", "pointwise1x1_64to64_25x5", C, 64, 25, 5, 64, 1, 1, 1, 4},
    {"bench", "conv1d_3to16_k5_128", C, 3, 1, 128, 16, 1, 5, 1, 4},
    {"bench", "dense_256to64", FC, 256, 1, 1, 64, 1, 1, 1, 4},
    {"bench", "dense_1024to128", FC, 1024, 1, 1, 128, 1, 1, 1, 4},
    // cifar10: resnet8-wide
    {"cifar10", "stem_3to16_3x3", C, 3, 32, 32, 16, 3, 3, 1, 0},
    {"cifar10", "s1_conv1_16to16_3x3", C, 16, 32, 32, 16, 3, 3, 1, 3},
    {"cifar10", "s1_conv2_16to16_3x3", C, 16, 32, 32, 16, 3, 3, 1, 3},
    {"cifar10", "s1_add_16x32x32", ADD, 16, 32, 32, 0, 0, 0, 0, 0},
    {"cifar10", "s2_conv1_16to32_3x3_s2", C, 16, 32, 32, 32, 3, 3, 2, 3},
    {"cifar10", "s2_conv2_32to32_3x3", C, 32, 16, 16, 32, 3, 3, 1, 3},
    {"cifar10", "s2_short_16to32_1x1_s2", C, 16, 32, 32, 32, 1, 1, 2, 0},
    {"cifar10", "s2_add_32x16x16", ADD, 32, 16, 16, 0, 0, 0, 0, 0},
    {"cifar10", "s3_conv1_32to80_3x3_s2", C, 32, 16, 16, 80, 3, 3, 2, 3},
    {"cifar10", "s3_conv2_80to80_3x3", C, 80, 8, 8, 80, 3, 3, 1, 9},
    {"cifar10", "s3_short_32to80_1x1_s2", C, 32, 16, 16, 80, 1, 1, 2, 4},
    {"cifar10", "s3_add_80x8x8", ADD, 80, 8, 8, 0, 0, 0, 0, 0},
    {"cifar10", "gap_80x8x8", GAP, 80, 8, 8, 0, 0, 0, 0, 0},
    {"cifar10", "dense_80to10", FC, 80, 1, 1, 10, 1, 1, 1, 0},
    // fsdd: ds-cnn on 49 frames x 40 mel bands
    {"fsdd", "conv_1to64_10x4_s2", C, 1, 49, 40, 64, 10, 4, 2, 9},
    {"fsdd", "dw1_64_3x3_s2", DW, 64, 25, 20, 64, 3, 3, 2, 4},
    {"fsdd", "pw1_64to64", C, 64, 13, 10, 64, 1, 1, 1, 4},
    {"fsdd", "dw2_64_3x3", DW, 64, 13, 10, 64, 3, 3, 1, 4},
    {"fsdd", "pw2_64to64", C, 64, 13, 10, 64, 1, 1, 1, 4},
    {"fsdd", "dw3_64_3x3", DW, 64, 13, 10, 64, 3, 3, 1, 4},
    {"fsdd", "pw3_64to64", C, 64, 13, 10, 64, 1, 1, 1, 4},
    {"fsdd", "dw4_64_3x3", DW, 64, 13, 10, 64, 3, 3, 1, 4},
    {"fsdd", "pw4_64to64", C, 64, 13, 10, 64, 1, 1, 1, 4},
    {"fsdd", "gap_64x13x10", GAP, 64, 13, 10, 0, 0, 0, 0, 0},
    {"fsdd", "dense_64to10", FC, 64, 1, 1, 10, 1, 1, 1, 0},
};

const uint32_t kLayerCount = sizeof(kLayers) / sizeof(kLayers[0]);

}  // namespace peer
