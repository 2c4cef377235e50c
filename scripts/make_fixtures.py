#!/usr/bin/python3
"""Makes the small ONNX models the importer and end-to-end tests run.

Each model is exported by PyTorch itself (so the graphs look exactly like the
ones users bring) together with one random input and PyTorch's output, which
is the reference the C++ runtime must reproduce. Everything is seeded so that
re-running the script gives the same numbers.

Run with /usr/bin/python3 (torch 1.13, onnx 1.12):
    /usr/bin/python3 scripts/make_fixtures.py [--out tests/fixtures]
"""
import argparse
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F


def randomise_batchnorm(module, gen):
    """Gives every BatchNorm non-trivial statistics so that folding it into
    the preceding conv actually changes the weights (fresh BN is identity)."""
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
            m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.25)
            m.weight.data.copy_(torch.randn(c, generator=gen) * 0.5 + 1.0)
            m.bias.data.copy_(torch.randn(c, generator=gen) * 0.2)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(16 * 5 * 5, 60)
        self.fc2 = nn.Linear(60, 32)
        self.fc3 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool1(torch.tanh(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = torch.tanh(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class MlpSoftmax(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 10), nn.Softmax(dim=1))

    def forward(self, x):
        return self.net(x)


def conv_bn_relu(cin, cout, k, stride=1, padding=0, groups=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride=stride, padding=padding, groups=groups, bias=False),
        nn.BatchNorm2d(cout), nn.ReLU())


class DsCnnKws(nn.Module):
    """Depthwise-separable CNN for keyword spotting on 49x10 MFCC frames."""

    def __init__(self, width=24, classes=12):
        super().__init__()
        self.stem = conv_bn_relu(1, width, (10, 4), stride=(2, 2), padding=(5, 1))
        blocks = []
        for _ in range(2):
            blocks.append(conv_bn_relu(width, width, 3, padding=1, groups=width))
            blocks.append(conv_bn_relu(width, width, 1))
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AvgPool2d((25, 5))
        self.fc = nn.Linear(width, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = self.pool(x)
        return self.fc(torch.flatten(x, 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn_relu(3, 12, 3, padding=1)
        self.block1 = BasicBlock(12, 12, 1)
        self.block2 = BasicBlock(12, 24, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class Sensor1d(nn.Module):
    """Accelerometer-style 3-axis time series classifier."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 16, 5, padding=2)
        self.pool = nn.MaxPool1d(2)
        self.norm = nn.BatchNorm1d(16)  # after a pool: no conv to fold into
        self.conv2 = nn.Conv1d(16, 24, 3, dilation=2, padding=2)
        self.conv3 = nn.Conv1d(24, 32, 3, stride=2)
        self.fc = nn.Linear(32, 6)

    def forward(self, x):
        x = self.norm(self.pool(F.relu(self.conv1(x))))
        x = F.relu(self.conv2(x))
        x = F.relu(self.conv3(x))
        return self.fc(x.mean(dim=2))


class Relu6Hardswish(nn.Module):
    """The MobileNet-family activations and pooling corner cases."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv3 = nn.Conv2d(8, 12, 3, groups=2, padding=1)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)
        self.max = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.conv4 = nn.Conv2d(12, 16, 1)
        self.fc = nn.Linear(16 * 4 * 4, 8)  # 12 -> 7 (ceil avg) -> 4 (ceil max)

    def forward(self, x):
        x = F.relu6(self.conv1(x))
        x = F.hardswish(self.conv2(x))
        x = x * F.hardsigmoid(x)
        x = F.leaky_relu(self.conv3(x), 0.1)
        x = self.avg(x)
        x = torch.sigmoid(self.max(x))
        x = torch.tanh(self.conv4(x))
        return self.fc(torch.flatten(x, 1))


class ConcatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Conv2d(3, 6, 3, padding=1)
        self.right = nn.Conv2d(3, 10, 1)
        self.pad = nn.ZeroPad2d((1, 2, 0, 1))  # left, right, top, bottom
        self.conv = nn.Conv2d(16, 16, 3)
        self.pool = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Linear(16, 5)
        gen = torch.Generator().manual_seed(7)
        self.register_buffer("scale", torch.rand(1, 16, 1, 1, generator=gen) + 0.5)
        self.register_buffer("offset", torch.randn(1, 16, 1, 1, generator=gen) * 0.1)

    def forward(self, x):
        x = torch.cat([F.relu(self.left(x)), F.relu(self.right(x))], dim=1)
        x = self.pad(x)
        x = F.pad(x, (1, 0, 1, 1))
        x = self.conv(x) * self.scale - self.offset
        return self.fc(torch.flatten(self.pool(x), 1))


class UnsupportedOp(nn.Module):
    """Erf (the heart of exported GELU) is not in the op set: the importer must
    reject it with a message naming the node. It follows a supported op
    directly, so no other op can be the first one rejected."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc2(torch.erf(self.fc1(x)))


class TwinCnn(nn.Module):
    """The same small CNN taking channels-last input (a Keras-style model,
    permuted inside: an ONNX Transpose on the graph input) or channels-first.
    Built with the same seed, the twins have the same weights, so their packs
    must cost the same on the device once the transpose is folded."""

    def __init__(self, channels_last):
        super().__init__()
        self.channels_last = channels_last
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 12, 3, stride=2)
        self.fc = nn.Linear(12 * 3 * 3, 10)

    def forward(self, x):
        if self.channels_last:
            x = x.permute(0, 3, 1, 2)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


class ChannelsLastCnn(TwinCnn):
    def __init__(self):
        super().__init__(True)


class ChannelsFirstCnn(TwinCnn):
    def __init__(self):
        super().__init__(False)


class TcnLastStep(nn.Module):
    """A temporal conv net that reads its last time step (Gather), slices a
    strided window, splits and re-orders channels, and permutes mid-graph."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 16, 3, padding=2, dilation=2)
        self.conv2 = nn.Conv1d(16, 16, 3, padding=4, dilation=4)
        self.fc = nn.Linear(16 + 16, 5)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        a, b = torch.split(y, [6, 10], dim=1)
        y = F.relu(self.conv2(torch.cat([b, a], dim=1)))
        last = y[:, :, -1]                      # Gather, negative index
        window = y[:, :, 2:30:4]                # Slice with a step
        pooled = window.permute(0, 2, 1).amax(dim=1)   # Transpose + ReduceMax
        return self.fc(torch.cat([last, pooled], dim=1))


class ReduceMatmul(nn.Module):
    """Sequence-shaped input [T, C]: Linear on a 3-D tensor (MatMul by a
    constant + Add), reductions over different axes, LogSoftmax."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(6, 12)
        self.head = nn.Linear(12 + 10, 4)

    def forward(self, x):                       # x: [1, 10, 6]
        h = torch.tanh(self.proj(x))            # [1, 10, 12]
        over_time = h.mean(dim=1)               # ReduceMean axis 1 -> [1, 12]
        over_feat = h.sum(dim=2)                # ReduceSum axis 2 -> [1, 10]
        z = torch.cat([over_time, over_feat], dim=1)
        return F.log_softmax(self.head(z), dim=1)


class ResizePadNet(nn.Module):
    """Segmentation / keyword-spotting front-end ops: nearest upsampling,
    reflect and edge padding, PRelu, Clip with input bounds, Softmax over
    channels."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.prelu = nn.PReLU(6, init=0.2)
        self.conv2 = nn.Conv2d(6, 6, 3)
        self.conv3 = nn.Conv2d(6, 5, 3)

    def forward(self, x):                       # [1, 3, 6, 6]
        y = self.prelu(self.conv1(x))
        y = F.interpolate(y, scale_factor=2, mode="nearest")        # Resize -> 12x12
        y = F.pad(y, (1, 1, 2, 0), mode="reflect")                  # Pad reflect
        y = F.hardtanh(self.conv2(y), -0.5, 0.75)                   # Clip, opset-11 inputs
        y = F.pad(y, (0, 2, 1, 1), mode="replicate")                # Pad edge
        y = torch.sigmoid(self.conv3(y)) * torch.tanh(y[:, :5, 1:-1, 1:-1])
        return torch.softmax(y, dim=1)          # over channels, not the last axis


class BroadcastOps(nn.Module):
    """Arithmetic beyond per-channel broadcast: a constant [H, W] map, a row
    broadcast over height, division by a computed tensor, Expand."""

    def __init__(self):
        super().__init__()
        gen = torch.Generator().manual_seed(11)
        self.register_buffer("bias_map", torch.randn(6, 6, generator=gen) * 0.1)
        self.conv = nn.Conv2d(4, 4, 1)

    def forward(self, x):                       # [1, 4, 6, 6]
        y = self.conv(x) + self.bias_map        # [6, 6] constant broadcast
        y = y - y[:, :, :1, :]                  # [1,4,1,6] activation broadcast
        y = y / (torch.sigmoid(x) + 1.0)        # Div by a computed tensor
        m = y.mean(dim=1, keepdim=True).expand(-1, 4, -1, -1)   # Expand
        return (y * m).amax(dim=(1, 3))         # ReduceMax over channels and width


# In eval mode PyTorch's exporter folds Conv+BatchNorm itself. ds_cnn_kws is
# exported with TrainingMode.PRESERVE instead, so its BatchNormalization nodes
# survive and the importer's own folding is exercised.
EVAL = torch.onnx.TrainingMode.EVAL
PRESERVE = torch.onnx.TrainingMode.PRESERVE

# name -> (model class, input shape without batch, opset, export mode)
MODELS = {
    "lenet5": (LeNet5, (1, 28, 28), 13, EVAL),
    "mlp_softmax": (MlpSoftmax, (1, 8, 8), 11, EVAL),
    "ds_cnn_kws": (DsCnnKws, (1, 49, 10), 13, PRESERVE),
    "resnet_small": (ResNetSmall, (3, 16, 16), 13, EVAL),
    "sensor_1d": (Sensor1d, (3, 96), 17, EVAL),
    "relu6_hardswish": (Relu6Hardswish, (3, 12, 12), 13, EVAL),
    "concat_net": (ConcatNet, (3, 10, 10), 13, EVAL),
    "channels_last_cnn": (ChannelsLastCnn, (16, 16, 3), 13, EVAL),
    "channels_first_cnn": (ChannelsFirstCnn, (3, 16, 16), 13, EVAL),
    "tcn_last_step": (TcnLastStep, (4, 32), 13, EVAL),
    "reduce_matmul": (ReduceMatmul, (10, 6), 13, EVAL),
    "resize_pad_net": (ResizePadNet, (3, 6, 6), 11, EVAL),
    "broadcast_ops": (BroadcastOps, (4, 6, 6), 17, EVAL),
}

# Twins share a seed (hence weights); every other model gets its own.
SEEDS = {"channels_first_cnn": "channels_last_cnn"}


def build(cls, seed):
    torch.manual_seed(seed)
    model = cls()
    randomise_batchnorm(model, torch.Generator().manual_seed(seed + 1000))
    return model.eval()


def export(model, shape, opset, mode, path):
    x = torch.randn(1, *shape)
    with torch.no_grad():
        torch.onnx.export(model, x, path, opset_version=opset, training=mode,
                          input_names=["input"], output_names=["output"])
    onnx.checker.check_model(onnx.load(path))
    return x


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "tests", "fixtures"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    names = list(MODELS)
    for seed, (name, (cls, shape, opset, mode)) in enumerate(MODELS.items()):
        model = build(cls, names.index(SEEDS.get(name, name)))
        params = sum(p.numel() for p in model.parameters())
        torch.manual_seed(100 + seed)
        x = export(model, shape, opset, mode, os.path.join(args.out, name + ".onnx"))
        with torch.no_grad():
            y = model(x)
        np.save(os.path.join(args.out, name + ".input.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(args.out, name + ".expected.npy"), y.numpy().astype(np.float32))
        print(f"{name}: opset {opset}, {params} params, in {tuple(x.shape)} -> out {tuple(y.shape)}")

    model = build(UnsupportedOp, 99)
    torch.manual_seed(199)
    export(model, (8,), 13, EVAL, os.path.join(args.out, "unsupported_op.onnx"))
    print("unsupported_op: opset 13 (contains Erf)")


if __name__ == "__main__":
    main()
