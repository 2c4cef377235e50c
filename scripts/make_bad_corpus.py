#!/usr/bin/python3
"""Makes tests/data/bad/: malformed inputs for every reader and subcommand.

Each case is a folder holding the input files and a `case` file:
    cmd: <arguments after `yono`, run inside the case folder>
    file: <text the error line must contain: the file (or flag) at fault>
    error: <text the error line must contain: the problem>
tests/e2e/bad_inputs_test.cpp runs every case in a scratch copy and expects
exit 2, exactly one line on stderr holding both texts, no file created and
every input byte unchanged.

Most files are built here byte by byte (ONNX through the onnx package, WAV,
PNG, IDX, CSV and .npy by hand); packs are made by the yono binary from a
tiny model and then damaged. Everything is deterministic: re-running the
script rewrites the same bytes.

    /usr/bin/python3 scripts/make_bad_corpus.py --yono build/cli/yono [--out tests/data/bad]
"""
import argparse
import os
import shutil
import struct
import subprocess
import tempfile
import wave
import zlib

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

CASES = []


def case(name, cmd, file, error, files):
    CASES.append((name, cmd, file, error, files))


# ---------------------------------------------------------------- ONNX

def onnx_bytes(nodes, inits, inputs, outputs, opset=13):
    g = h.make_graph(nodes, "g", inputs, outputs, initializer=inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset)], producer_name="bad-corpus")
    m.ir_version = 7
    return m.SerializeToString()


vi = h.make_tensor_value_info
X = vi("x", T.FLOAT, [1, 4])
Y = vi("y", T.FLOAT, [1, 8])
W = nh.from_array(np.linspace(-1, 1, 32, dtype=np.float32).reshape(4, 8), "W")


def matmul(out="y", inp="x", w="W"):
    return h.make_node("MatMul", [inp, w], [out], name="mm")


def tiny_model():
    return onnx_bytes([matmul("h"), h.make_node("Relu", ["h"], ["y"], name="relu")], [W], [X], [Y])


def onnx_cases():
    def imp(name, data, error, file="model.onnx", extra=""):
        case("onnx-" + name, f"import model.onnx -o out.yono{extra}", file, error,
             {"model.onnx": data})

    imp("two-producers", onnx_bytes([matmul(), h.make_node("Relu", ["x"], ["y"], name="r")], [W],
                                    [X], [Y]), "already written by node 'mm'")
    imp("output-listed-twice", onnx_bytes([matmul()], [W], [X], [Y, Y]),
        "graph output 'y' is listed twice")
    imp("node-overwrites-input",
        onnx_bytes([matmul(), h.make_node("Relu", ["y"], ["x"], name="r")], [W], [X], [Y]),
        "writes 'x', already written by the graph input")
    imp("initializer-twice", onnx_bytes([matmul()], [W, W], [X], [Y]),
        "initializer 'W' is defined twice")
    imp("input-twice", onnx_bytes([matmul()], [W], [X, X], [Y]), "graph input 'x' is listed twice")
    nan = nh.from_array(np.full((4, 8), np.nan, np.float32), "W")
    imp("nan-weights", onnx_bytes([matmul()], [nan], [X], [Y]), "initializer 'W' holds 32 non-finite")
    w_inf = np.ones((4, 8), np.float32)
    w_inf[2, 3] = np.inf
    imp("inf-weight", onnx_bytes([matmul()], [nh.from_array(w_inf, "W")], [X], [Y]),
        "(first: inf at index 19)")
    imp("huge-dim", onnx_bytes([matmul()], [W], [vi("x", T.FLOAT, [1, 4000000000])], [Y]),
        "dimension 1 (4000000000)")
    imp("dims-overflow",
        onnx_bytes([h.make_node("Relu", ["x"], ["y"])], [],
                   [vi("x", T.FLOAT, [1, 1 << 31, 1 << 31, 1 << 31])], [vi("y", T.FLOAT, None)]),
        "more than 2^30 values")
    cw = nh.from_array(np.ones((2, 1, 3, 3), np.float32), "cw")
    img = vi("x", T.FLOAT, [1, 1, 8, 8])
    imp("huge-pads",
        onnx_bytes([h.make_node("Conv", ["x", "cw"], ["y"], name="conv", pads=[1 << 40] * 4)], [cw],
                   [img], [vi("y", T.FLOAT, None)]), "pads must be below 2^31")
    imp("pads-past-kernel",
        onnx_bytes([h.make_node("Conv", ["x", "cw"], ["y"], name="conv", pads=[100000] * 4)], [cw],
                   [img], [vi("y", T.FLOAT, None)]), "leading padding 100000")
    imp("arena-past-4gib",
        onnx_bytes([h.make_node("Relu", ["x"], ["y"])], [],
                   [vi("x", T.FLOAT, [1, 1000, 1000, 1000])], [vi("y", T.FLOAT, None)]),
        "exceeds the 4 GiB limit")
    imp("int64-input", onnx_bytes([matmul()], [W], [vi("x", T.INT64, [1, 4])], [Y]),
        "only float tensors are supported")
    imp("dynamic-inner-dim", onnx_bytes([matmul()], [W], [vi("x", T.FLOAT, [1, "n"])], [Y]),
        "dimension 1 is dynamic")
    imp("unknown-tensor", onnx_bytes([h.make_node("Relu", ["z"], ["y"])], [], [X], [Y]),
        "input 'z' is not produced")
    imp("reads-own-output", onnx_bytes([h.make_node("Relu", ["y"], ["y"])], [], [X], [Y]),
        "input 'y' is not produced")
    short = nh.from_array(np.ones((4, 8), np.float32), "W")
    short.raw_data = short.raw_data[:40]
    imp("raw-data-short", onnx_bytes([matmul()], [short], [X], [Y]), "raw_data has 40 bytes")
    imp("truncated", tiny_model()[:50], "not a valid ONNX model")
    imp("empty", b"", "file is empty")
    imp("text", b"hello, not a model\n", "not a valid ONNX model")
    imp("unsupported-op", onnx_bytes([h.make_node("Celu", ["x"], ["y"], name="celu")], [], [X],
                                     [vi("y", T.FLOAT, None)]), "unsupported op")
    imp("no-outputs", onnx_bytes([matmul()], [W], [X], []), "model has no outputs")
    imp("matmul-mismatch",
        onnx_bytes([matmul(w="W5")], [nh.from_array(np.ones((5, 8), np.float32), "W5")], [X], [Y]),
        "does not match input")
    imp("batch-2", onnx_bytes([matmul()], [W], [vi("x", T.FLOAT, [2, 4])], [Y]),
        "must have batch 1")
    # compress reads ONNX through the same importer, and refuses it the same way.
    case("onnx-compress-nan", "compress model.onnx -o out.yono --method int8", "model.onnx",
         "non-finite", {"model.onnx": onnx_bytes([matmul()], [nan], [X], [Y])})


# ---------------------------------------------------------------- packs

def make_pack(yono, model=None):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "tiny.onnx"), os.path.join(d, "tiny.yono")
        with open(src, "wb") as f:
            f.write(model or tiny_model())
        subprocess.run([yono, "import", src, "-o", out], check=True, stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()


def sections(pack):
    """(type, offset, size) of every section table entry (packs of v1/v2)."""
    count = struct.unpack_from("<I", pack, 12)[0]
    return [struct.unpack_from("<III", pack, 32 + 16 * i) for i in range(count)]


def with_fixed_crcs(pack):
    """Recomputes each section's and the header's CRC32, so a damaged record
    reaches the structural checks instead of failing the checksum."""
    b = bytearray(pack)
    table = sections(b)
    for i, (_, offset, size) in enumerate(table):
        struct.pack_into("<I", b, 32 + 16 * i + 12, zlib.crc32(bytes(b[offset:offset + size])))
    struct.pack_into("<I", b, 20, 0)
    struct.pack_into("<I", b, 20, zlib.crc32(bytes(b[:32 + 16 * len(table)])))
    return bytes(b)


def npy(shape, values, dtype="<f4", header_extra=""):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }%s" % (
        dtype, "(" + "".join(f"{s}, " for s in shape) + ")", header_extra)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + \
        np.asarray(values, dtype=np.dtype(dtype)).tobytes()


def pack_cases(pack):
    x = npy((1, 4), [0.5, -1, 2, 0.25])

    def run(name, pack_bytes, error, file="p.yono", cmd="run p.yono -i x.npy"):
        case("pack-" + name, cmd, file, error, {"p.yono": pack_bytes, "x.npy": x})

    run("empty", b"", "file is empty")
    run("text", b"not a pack at all, just some text that is long enough\n" * 4, "bad magic")
    run("truncated-half", pack[:len(pack) // 2], "truncated pack")
    run("truncated-header", pack[:20], "truncated")
    bad_version = bytearray(pack)
    bad_version[4] = 99
    run("bad-version", bytes(bad_version), "version")
    flipped = bytearray(pack)
    flipped[len(pack) - 9] ^= 0x40
    run("payload-bit-flip", bytes(flipped), "checksum mismatch")
    run("inspect-truncated", pack[:len(pack) - 4], "truncated pack", cmd="inspect p.yono")
    run("export-truncated", pack[:len(pack) - 4], "truncated pack", cmd="export-c p.yono -o out")
    run("eval-text", b"not a pack\n" * 10, "bad magic", cmd="eval p.yono --task fsdd")
    # A record damaged behind valid checksums: the error says which one.
    tensors = next(offset for (kind, offset, _) in sections(pack) if kind == 3)
    kind = bytearray(pack)
    kind[tensors + 48 * 1 + 4] = 7  # tensor 1's kind: neither activation nor constant
    run("tensor-record-kind", with_fixed_crcs(bytes(kind)), "bad tensor record (tensor 1 of model 0)")
    ops = next(offset for (kind, offset, _) in sections(pack) if kind == 4)
    op = bytearray(pack)
    op[ops + 2] = 0  # op 0's input_count
    run("op-record-inputs", with_fixed_crcs(bytes(op)), "bad op record (op 0 of model 0)")
    run("no-such-model", pack, "no model named 'nope'", cmd="run p.yono --model nope -i x.npy")
    # Valid, but its 512 MiB arena is past what the host tools allocate.
    big = make_pack(YONO, onnx_bytes([h.make_node("Relu", ["x"], ["y"])], [],
                                     [vi("x", T.FLOAT, [1, 1, 8192, 8192])], [vi("y", T.FLOAT, None)]))
    run("arena-past-host-cap", big, "more than the host tools allocate (256 MiB)")

    # .npy inputs of `yono run`
    def run_npy(name, data, error):
        case("npy-" + name, "run p.yono -i x.npy", "x.npy", error, {"p.yono": pack, "x.npy": data})

    run_npy("wrong-count", npy((1, 5), [1, 2, 3, 4, 5]), "has 5 values")
    run_npy("truncated-data", npy((1, 4), [1, 2, 3, 4])[:-6], "truncated data")
    run_npy("bad-magic", b"\x93NUMPX" + npy((1, 4), [1, 2, 3, 4])[6:], "not a .npy file")
    run_npy("int32", npy((1, 4), [1, 2, 3, 4], dtype="<i4"), "unsupported dtype '<i4'")
    run_npy("fortran", npy((1, 4), [1, 2, 3, 4]).replace(b"False", b"True "), "Fortran-order")
    run_npy("empty", b"", "not a .npy file")

    # outputs that would replace an input
    case("out-is-input-import", "import model.onnx -o model.onnx", "model.onnx", "refusing to overwrite",
         {"model.onnx": tiny_model()})
    case("out-is-input-compress", "compress model.onnx -o model.onnx --method int8", "model.onnx",
         "refusing to overwrite", {"model.onnx": tiny_model()})
    case("out-is-input-run-pack", "run p.yono -i x.npy -o p.yono", "p.yono", "refusing to overwrite",
         {"p.yono": pack, "x.npy": x})
    case("out-is-input-run-npy", "run p.yono -i x.npy -o x.npy", "x.npy", "refusing to overwrite",
         {"p.yono": pack, "x.npy": x})
    case("out-is-input-other-spelling", "run p.yono -i x.npy -o ./sub/../x.npy", "x.npy",
         "refusing to overwrite", {"p.yono": pack, "x.npy": x, "sub/keep": b""})
    case("out-is-input-add", "add p.yono model.onnx -o p.yono --finetune none", "p.yono",
         "refusing to overwrite", {"p.yono": pack, "model.onnx": tiny_model()})
    case("out-is-input-train", "train --task fsdd --init model.onnx -o model.onnx", "model.onnx",
         "refusing to overwrite", {"model.onnx": tiny_model()})
    case("out-is-metrics-train", "train --task fsdd -o m.json", "m.json",
         "given as two different outputs", {})
    case("out-is-input-bench-switch", "bench switch p.yono --from tiny --to tiny --json p.yono",
         "p.yono", "refusing to overwrite", {"p.yono": pack})
    case("out-is-input-bench-mcu", "bench mcu --elf a=app.elf --board mps2-an386 -o app.elf",
         "app.elf", "refusing to overwrite", {"app.elf": b"\x7fELF not really"})
    case("out-is-input-export-c", "export-c src/yono_pack.c -o .", "yono_pack.c",
         "refusing to overwrite", {"src/yono_pack.c": pack})


# ---------------------------------------------------------------- flags

def flag_cases():
    m = {"model.onnx": tiny_model()}
    case("flag-unknown", "import model.onnx -o out.yono --frobnicate", "--frobnicate",
         "unexpected argument", m)
    case("flag-missing-output", "import model.onnx", "--output", "required", m)
    case("flag-bad-number", "compress model.onnx -o out.yono --seed abc", "--seed", "abc", m)
    case("flag-codewords-1", "compress model.onnx -o out.yono --codewords 1", "--codewords", "must be in 2..65536", m)
    case("flag-bad-method", "compress model.onnx -o out.yono --method zip", "--method", "zip not in", m)
    case("flag-missing-input", "import absent.onnx -o out.yono", "absent.onnx", "cannot open", {})
    case("flag-no-subcommand-file", "inspect absent.yono", "absent.yono", "No such file", {})
    case("flag-task-and-data", "train --task fsdd --data d -o m.onnx", "--data", "--task excludes", {"d/keep": b""})


# ---------------------------------------------------------------- data folders

def wav(samples, rate=8000, channels=1, width=2):
    with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as f:
        path = f.name
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(samples))
    with open(path, "rb") as f:
        data = f.read()
    os.unlink(path)
    return data


def tone(n=800, channels=1, width=2):
    return bytes((i * 37) % 251 for i in range(n * channels * width))


def png(width, height, grey=True, rows=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    colour = 0 if grey else 2
    per_px = 1 if grey else 3
    raw = b"".join(b"\x00" + bytes((x * 40 + y * 7) % 256 for x in range(width * per_px))
                   for y in range(height)) if rows is None else rows
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def idx_images(n, h_, w_, extra=b""):
    return struct.pack(">BBBBIII", 0, 0, 8, 3, n, h_, w_) + bytes((i * 13) % 256 for i in range(n * h_ * w_)) + extra


def idx_labels(labels):
    return struct.pack(">BBBBI", 0, 0, 8, 1, len(labels)) + bytes(labels)


def csv(rows, cols=3):
    return "".join(",".join(f"{(r * cols + c) % 17 / 4:.2f}" for c in range(cols)) + "\n"
                   for r in range(rows)).encode()


TRAIN = "train --data d -o m.onnx --epochs 1 --max-steps 1 -q"


PACK = b""
YONO = ""


def data_cases():
    def folder(name, files, file, error, cmd=TRAIN):
        case("data-" + name, cmd, file, error, {"d/" + k: v for k, v in files.items()})

    good_wav = wav(tone())
    audio = {"train/yes/a.wav": good_wav, "train/no/a.wav": good_wav,
             "test/yes/a.wav": good_wav, "test/no/a.wav": good_wav}
    cut = bytearray(good_wav)
    struct.pack_into("<I", cut, 40, 10_000_000)  # the data chunk's size field
    folder("wav-cut-off", {**audio, "train/yes/b.wav": bytes(cut)}, "b.wav", "data chunk claims 10000000")
    folder("wav-no-samples", {**audio, "train/yes/b.wav": wav(b"")}, "b.wav", "no samples")
    folder("wav-other-rate", {**audio, "train/yes/b.wav": wav(tone(), rate=16000)}, "b.wav", "16000 Hz")
    folder("wav-stereo", {**audio, "train/yes/b.wav": wav(tone(channels=2), channels=2)}, "b.wav",
           "2 channels")
    folder("wav-8bit", {**audio, "train/yes/b.wav": wav(tone(width=1), width=1)}, "b.wav", "8-bit")
    folder("wav-not-riff", {**audio, "train/yes/b.wav": b"RIFX" + good_wav[4:]}, "b.wav", "cannot read audio")
    folder("wav-truncated-header", {**audio, "train/yes/b.wav": good_wav[:30]}, "b.wav", "no data chunk")

    g = png(4, 4)
    images = {"train/cat/a.png": g, "train/dog/a.png": g, "test/cat/a.png": g, "test/dog/a.png": g}
    folder("png-mixed-sizes", {**images, "train/cat/b.png": png(5, 4)}, "b.png", "give --resize HxW")
    folder("png-corrupt", {**images, "train/cat/b.png": g[:40] + b"\x00" * 20 + g[60:]}, "b.png", "corrupt PNG")
    folder("png-truncated", {**images, "train/cat/b.png": g[:30]}, "b.png", "corrupt PNG")
    folder("png-is-text", {**images, "train/cat/b.png": b"just text\n"}, "b.png", "neither JPEG nor PNG")
    folder("jpeg-corrupt", {**images, "train/cat/b.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 40}, "b.jpg",
           "corrupt JPEG")
    folder("empty-class-folder", {**images, "train/bird/.keep": b""}, "d/train/bird", "empty class folder")
    folder("test-class-unknown", {**images, "test/fox/a.png": g}, "d/test/fox", "not in d/train")

    idx = {"classes.txt": b"even\nodd\n",
           "train-images-idx3-ubyte": idx_images(4, 3, 3), "train-labels-idx1-ubyte": idx_labels([0, 1, 0, 1]),
           "t10k-images-idx3-ubyte": idx_images(2, 3, 3), "t10k-labels-idx1-ubyte": idx_labels([0, 1])}
    folder("idx-label-out-of-range",
           {**idx, "train-labels-idx1-ubyte": idx_labels([0, 1, 0, 200])}, "train-labels-idx1-ubyte",
           "label 200")
    folder("idx-truncated", {**idx, "train-images-idx3-ubyte": idx_images(4, 3, 3)[:-5]},
           "train-images-idx3-ubyte", "truncated IDX data")
    folder("idx-trailing-bytes", {**idx, "train-images-idx3-ubyte": idx_images(4, 3, 3, b"xx")},
           "train-images-idx3-ubyte", "trailing bytes")
    folder("idx-count-mismatch", {**idx, "train-labels-idx1-ubyte": idx_labels([0, 1, 0])},
           "train-labels-idx1-ubyte", "3 labels for 4")
    folder("idx-bad-magic", {**idx, "train-images-idx3-ubyte": b"\x01\x02" + idx_images(4, 3, 3)[2:]},
           "train-images-idx3-ubyte", "bad IDX magic")
    folder("idx-empty-test", {**idx, "t10k-images-idx3-ubyte": idx_images(0, 3, 3),
                              "t10k-labels-idx1-ubyte": idx_labels([])}, "d:", "the test split (t10k files) has no samples")
    folder("idx-gzip-corrupt", {k: v for k, v in idx.items() if k != "train-images-idx3-ubyte"} |
           {"train-images-idx3-ubyte.gz": b"\x1f\x8b\x08\x00" + b"\x00" * 30}, "train-images-idx3-ubyte.gz",
           "gzip")

    sensor = {"train/walk/a.csv": csv(12), "train/sit/a.csv": csv(12),
              "test/walk/a.csv": csv(12), "test/sit/a.csv": csv(12)}
    scmd = TRAIN + " --window 4"
    folder("csv-ragged", {**sensor, "train/walk/b.csv": csv(6) + b"1.0,2.0\n" + csv(5)}, "b.csv", "ragged row: 2 values",
           cmd=scmd)
    folder("csv-not-numbers", {**sensor, "train/walk/b.csv": csv(6) + b"1.0,abc,2.0\n" + csv(5)}, "b.csv:7", "'abc' is not a number",
           cmd=scmd)
    folder("csv-empty", {**sensor, "train/walk/b.csv": b""}, "b.csv", "no samples", cmd=scmd)
    folder("csv-nan", {**sensor, "train/walk/b.csv": csv(6) + b"1.0,nan,2.0\n" + csv(5)}, "b.csv:7", "'nan' is not a number",
           cmd=scmd)
    folder("no-layout", {"readme.txt": b"nothing here\n"}, "d:", "no data found")
    case("data-eval-empty-test", "eval p.yono --data d", "d/test/cat", "empty class folder",
         {"p.yono": PACK, "d/train/cat/a.png": g, "d/train/dog/a.png": g, "d/test/cat/.keep": b"",
          "d/test/dog/.keep": b""})


def write_case(root, name, cmd, file, error, files):
    d = os.path.join(root, name)
    os.makedirs(d)
    for rel, data in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    with open(os.path.join(d, "case"), "w") as f:
        f.write(f"cmd: {cmd}\nfile: {file}\nerror: {error}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yono", required=True)
    ap.add_argument("--out", default="tests/data/bad")
    a = ap.parse_args()
    onnx_cases()
    global PACK, YONO
    YONO = a.yono
    PACK = make_pack(a.yono)
    pack_cases(PACK)
    flag_cases()
    data_cases()
    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    for c in CASES:
        write_case(a.out, *c)
    print(f"{len(CASES)} cases in {a.out}")


if __name__ == "__main__":
    main()
