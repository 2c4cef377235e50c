// Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/), so
// every seed is reproducible from the project's own writers and test
// fixtures rather than hand-made bytes:
//   fuzz_make_seeds SOURCE_DIR OUT_DIR
// SOURCE_DIR is the repository (tests/fixtures/*.onnx are read from it). Deterministic: the same
// build writes the same bytes. Seeds stay small (a few KB each, the whole corpus well under 2 MB),
// because the fuzzers' speed falls with input size.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "folder_archive.h"
#include "pack_test_graphs.h"
#include "user_data_fixtures.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/half_float.h"

namespace {

namespace fs = std::filesystem;
using yono::ir::CodebookDType;
using yono::test::LayerKind;

std::vector<uint8_t> read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const fs::path& path, const std::vector<uint8_t>& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_text(const fs::path& path, const std::string& text) {
  write_all(path, std::vector<uint8_t>(text.begin(), text.end()));
}

// ---- pack_reader: every op type, every encoding, every pack version ----

// A bias rounded to binary16 and stored so (DType::kF16, v2).
void store_bias_as_half(yono::ir::Graph& g) {
  yono::ir::Tensor& bias = g.tensors[static_cast<size_t>(g.ops[0].inputs[2])];
  for (float& v : bias.data) v = yono::half_to_float(yono::float_to_half(v));
  bias.stored = yono::ir::FloatDType::kF16;
}

struct EncodedModels {
  std::vector<yono::ir::Codebook> codebooks;
  std::vector<yono::ir::Graph> base;
  yono::ir::Graph added;  // encoded against the same codebooks, for grow_pack
};

// PQ on f16, i8 and f32 codebooks (K = 12 is not a power of two, so the
// reader's every-code-below-K check runs), int8 per channel, f16 scales and
// an f16 bias.
EncodedModels encoded_models() {
  EncodedModels e;
  e.codebooks = {yono::test::random_codebook("shared/kxk", 16, 3, CodebookDType::kF16, 5),
                 yono::test::random_codebook("shared/pointwise", 12, 4, CodebookDType::kI8, 6),
                 yono::test::random_codebook("shared/f32", 4, 2, CodebookDType::kF32, 7)};
  auto a = yono::test::layer_model("a", LayerKind::kConv2d, 1);
  yono::test::pq_encode(yono::test::weight_of(a), e.codebooks[0], 0, 11);
  auto b = yono::test::layer_model("b", LayerKind::kDense, 2);
  yono::test::pq_encode(yono::test::weight_of(b), e.codebooks[1], 1, 12,
                        yono::ir::ScaleDType::kF16);
  auto c = yono::test::layer_model("c", LayerKind::kConv1d, 3);
  yono::test::i8_encode(yono::test::weight_of(c), 13);
  store_bias_as_half(c);
  auto d = yono::test::layer_model("d", LayerKind::kDepthwise, 4);
  yono::test::pq_encode(yono::test::weight_of(d), e.codebooks[2], 2, 14);
  e.base = {a, b, c, d};
  e.added = yono::test::layer_model("grown", LayerKind::kDense, 5);
  yono::test::pq_encode(yono::test::weight_of(e.added), e.codebooks[1], 1, 15);
  return e;
}

void pack_seeds(const fs::path& source, const fs::path& out) {
  write_all(
      out / "float_image_signal.yono",
      yono::write_pack({yono::test::image_model("image"), yono::test::signal_model("signal")}));
  write_all(out / "float_names_kept.yono",
            yono::write_pack({yono::test::layer_model("conv1d", LayerKind::kConv1d, 9)}, {},
                             yono::PackWriteOptions{true}));
  const EncodedModels e = encoded_models();
  const std::vector<uint8_t> base = yono::write_pack(e.base, e.codebooks);
  write_all(out / "encoded_v2.yono", base);
  const yono::test::OpenedPack opened(base);
  if (opened.status != yono::Status::kOk) throw std::runtime_error("encoded seed does not open");
  write_all(out / "grown_v3.yono", yono::grow_pack(opened.pack, {e.added}, e.codebooks));
  // Int8 activations: every int8 kernel, Converts, an int16 codebook.
  const yono::test::Int8Models i8 = yono::test::int8_models();
  write_all(out / "int8_activations.yono", yono::write_pack(i8.models, i8.codebooks));
  // Two PyTorch-exported fixtures as `yono import` packs them: real graphs
  // (HardSwish, Clip, Concat), still small. The zoo pack is left out: its
  // models take milliseconds per run under the sanitizers, which would
  // slow every mutation of it a hundredfold.
  std::vector<yono::ir::Graph> fixtures;
  for (const char* name : {"relu6_hardswish", "concat_net"})
    fixtures.push_back(yono::import_onnx(
        (source / "tests" / "fixtures" / (std::string(name) + ".onnx")).string(), name));
  write_all(out / "fixtures_float.yono", yono::write_pack(fixtures));
}

// ---- onnx_import: the PyTorch-exported fixtures and exported IR graphs ----

void onnx_seeds(const fs::path& source, const fs::path& out) {
  for (const auto& entry : fs::directory_iterator(source / "tests" / "fixtures")) {
    if (entry.path().extension() == ".onnx")
      write_all(out / entry.path().filename(), read_all(entry.path()));
  }
  const std::vector<yono::ir::Graph> graphs = {
      yono::test::image_model("image"), yono::test::signal_model("signal"),
      yono::test::layer_model("dense", LayerKind::kDense, 1),
      yono::test::layer_model("depthwise", LayerKind::kDepthwise, 2)};
  for (const yono::ir::Graph& g : graphs) {
    const std::string bytes = yono::export_onnx(g);
    write_all(out / ("exported_" + g.name + ".onnx"),
              std::vector<uint8_t>(bytes.begin(), bytes.end()));
  }
}

// ---- the data readers ----

std::vector<uint8_t> idx_bytes(const std::vector<uint32_t>& dims,
                               const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

std::vector<uint8_t> counting(size_t n, uint32_t step) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * step);
  return v;
}

void idx_seeds(const fs::path& out) {
  write_all(out / "images_3x4x4", idx_bytes({3, 4, 4}, counting(48, 17)));
  write_all(out / "labels_5", idx_bytes({5}, {0, 1, 2, 1, 0}));
  write_all(out / "empty_0x2x2", idx_bytes({0, 2, 2}, {}));
  // gzip-compressed, as MNIST ships (the reader decompresses transparently).
  const fs::path gz = out / "images_2x3x3.gz";
  yono::test::write_idx_file(gz.string(), {2, 3, 3}, counting(18, 29));
}

void cifar_seeds(const fs::path& out) {
  std::vector<uint8_t> batch;
  for (uint8_t label : {3, 9}) {
    batch.push_back(label);
    const std::vector<uint8_t> pixels = counting(3 * 32 * 32, label + 1u);
    batch.insert(batch.end(), pixels.begin(), pixels.end());
  }
  write_all(out / "data_batch_2_records.bin", batch);
  write_text(out / "batches.meta.txt", "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\n\n");
}

void write_jpeg(const fs::path& path, int h, int w, int channels, const std::vector<uint8_t>& px) {
  fs::create_directories(path.parent_path());
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  std::FILE* f = std::fopen(path.string().c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
  jpeg_stdio_dest(&info, f);
  info.image_width = static_cast<JDIMENSION>(w);
  info.image_height = static_cast<JDIMENSION>(h);
  info.input_components = channels;
  info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 90, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(px.data()) + info.next_scanline * w * channels;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(f);
}

void image_seeds(const fs::path& out) {
  std::mt19937 rng(1);
  yono::test::write_png_image((out / "grey_4x3.png").string(), 4, 3, 1,
                              yono::test::band_pixels(0, 2, 4, 3, 1, rng));
  yono::test::write_png_image((out / "rgb_5x4.png").string(), 5, 4, 3,
                              yono::test::band_pixels(1, 2, 5, 4, 3, rng));
  write_jpeg(out / "rgb_8x8.jpg", 8, 8, 3, yono::test::band_pixels(0, 2, 8, 8, 3, rng));
  write_jpeg(out / "grey_6x5.jpg", 6, 5, 1, yono::test::band_pixels(1, 2, 6, 5, 1, rng));
}

std::vector<short> tone(size_t n, double hz, int rate) {
  std::vector<short> pcm(n);
  for (size_t t = 0; t < n; ++t)
    pcm[t] = static_cast<short>(8000.0 * std::sin(2 * M_PI * hz * static_cast<double>(t) / rate));
  return pcm;
}

void wav_with(const fs::path& path, int rate, int channels, int subformat, size_t frames) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | subformat;
  SNDFILE* f = sf_open(path.string().c_str(), SFM_WRITE, &info);
  if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
  const std::vector<short> pcm = tone(frames * static_cast<size_t>(channels), 440.0, rate);
  sf_writef_short(f, pcm.data(), static_cast<sf_count_t>(frames));
  sf_close(f);
}

void wav_seeds(const fs::path& out) {
  yono::test::write_wav_clip((out / "mono16_8k.wav").string(), 8000, tone(400, 440.0, 8000));
  yono::test::write_wav_clip((out / "mono16_16k.wav").string(), 16000, tone(300, 880.0, 16000));
  wav_with(out / "stereo16_8k.wav", 8000, 2, SF_FORMAT_PCM_16, 100);
  wav_with(out / "mono8_8k.wav", 8000, 1, SF_FORMAT_PCM_U8, 200);
}

std::string hmp_lines(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (size_t i = 0; i < n; ++i)
    text += std::to_string(rng() % 64) + " " + std::to_string(rng() % 64) + " " +
            std::to_string(rng() % 64) + "\n";
  return text;
}

void hmp_seeds(const fs::path& out) {
  write_text(out / "walk_40.txt", hmp_lines(40, 1));
  write_text(out / "crlf_5.txt", "12 40 33\r\n13 41 32\r\n\r\n14 42 31\r\n0 63 7\r\n1 2 3\r\n");
}

void sensor_table_seeds(const fs::path& out) {
  std::mt19937 rng(2);
  std::string csv = "ax,ay,az\n";
  for (int r = 0; r < 24; ++r)
    csv += std::to_string(std::sin(0.3 * r)) + "," + std::to_string(rng() % 100 / 50.0 - 1) + ", " +
           std::to_string(-9.81 + r * 1e-3) + "\n";
  write_text(out / "header_3col.csv", csv);
  write_text(out / "spaces_2col.txt", "1 2\n3\t4\n\n-5.5e-1   6e2\n");
  write_text(out / "ragged.csv", "1,2,3\n4,5\n");
}

void npy_seeds(const fs::path& out) {
  write_all(out / "f4_2x3.npy", yono::encode_npy({2, 3}, {1, -2, 3.5f, 0, 1e-8f, -7}));
  write_all(out / "f4_scalar.npy", yono::encode_npy({}, {42}));
  write_all(out / "f4_1x3x2x2.npy", yono::encode_npy({1, 3, 2, 2}, std::vector<float>(12, 0.5f)));
  // float64 (numpy's default dtype) in a version 2.0 header, as numpy.save
  // writes when the header would not fit version 1.
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
  header.append((64 - (12 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> v2 = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
  for (int shift = 0; shift < 32; shift += 8)
    v2.push_back(static_cast<uint8_t>(header.size() >> shift));
  v2.insert(v2.end(), header.begin(), header.end());
  for (double d : {1.0, -0.25, 1e300}) {
    uint8_t b[8];
    std::memcpy(b, &d, 8);
    v2.insert(v2.end(), b, b + 8);
  }
  write_all(out / "f8_v2_3.npy", v2);
}

// ---- user_data: one tiny folder per layout, as folder archives ----

// The option and seed bytes user_data_fuzzer.cpp reads, then the archive.
void write_user_data_seed(const fs::path& path, uint8_t options, const fs::path& tree) {
  std::vector<uint8_t> bytes = {options, 1};
  const std::vector<uint8_t> archive = yono::fuzz::pack_folder_archive(tree.string());
  bytes.insert(bytes.end(), archive.begin(), archive.end());
  write_all(path, bytes);
  fs::remove_all(tree);
}

void user_data_seeds(const fs::path& out, const fs::path& work) {
  const std::vector<std::string> two = {"no", "yes"};
  yono::test::make_idx_folder(work / "idx", 2, 8, 2, 4, 1);
  write_user_data_seed(out / "idx_with_test", 0, work / "idx");
  yono::test::make_idx_folder(work / "idx3", 3, 9, 0, 3, 2);
  write_text(work / "idx3" / "classes.txt", "a\nb\nc\n");
  write_user_data_seed(out / "idx_classes_resized_rgb", 1 | 4, work / "idx3");
  yono::test::make_image_folder(work / "img", "train", two, 3, 4, 4, 1, 3);
  yono::test::make_image_folder(work / "img", "test", two, 1, 4, 4, 3, 4);
  write_user_data_seed(out / "images_train_test", 0, work / "img");
  yono::test::make_image_folder(work / "top", "", two, 4, 3, 5, 3, 5);
  write_user_data_seed(out / "images_holdout_resized", 1 | 8, work / "top");
  // JPEG class folders (the generated ones above are PNG), grey and colour mixed.
  std::mt19937 rng(12);
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < 3; ++i) {
      const int channels = i == 0 ? 1 : 3;
      write_jpeg(work / "jpeg" / two[static_cast<size_t>(c)] / (std::to_string(i) + ".jpg"), 8, 8,
                 channels, yono::test::band_pixels(c, 2, 8, 8, channels, rng));
    }
  write_user_data_seed(out / "images_jpeg_grey_and_colour", 2, work / "jpeg");
  // Plain (not gzip) IDX files without a test pair.
  write_all(work / "plain_idx" / "train-images-idx3-ubyte", idx_bytes({6, 2, 2}, counting(24, 41)));
  write_all(work / "plain_idx" / "train-labels-idx1-ubyte", idx_bytes({6}, {0, 1, 0, 1, 0, 1}));
  write_user_data_seed(out / "idx_plain_holdout", 0, work / "plain_idx");
  yono::test::make_audio_folder(work / "audio", "", two, 4, 8000, 300, 6);
  write_user_data_seed(out / "audio_holdout", 0, work / "audio");
  yono::test::make_audio_folder(work / "mfcc", "train", two, 2, 8000, 200, 7);
  yono::test::make_audio_folder(work / "mfcc", "test", two, 1, 8000, 200, 8);
  write_user_data_seed(out / "audio_mfcc_train_test", 1, work / "mfcc");
  yono::test::make_sensor_folder(work / "sensor", "", two, 3, 20, 3, 9);
  write_user_data_seed(out / "sensor_holdout", 1, work / "sensor");
  yono::test::make_sensor_folder(work / "sensor2", "train", two, 2, 12, 2, 10);
  yono::test::make_sensor_folder(work / "sensor2", "test", two, 1, 12, 2, 11);
  write_user_data_seed(out / "sensor_train_test_hop", 2, work / "sensor2");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_make_seeds SOURCE_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path source = argv[1], out = argv[2];
  const fs::path work = out / ".work";
  try {
    pack_seeds(source, out / "pack_reader");
    onnx_seeds(source, out / "onnx_import");
    idx_seeds(out / "idx_reader");
    cifar_seeds(out / "cifar_binary_reader");
    image_seeds(out / "image_decode");
    wav_seeds(out / "wav_reader");
    hmp_seeds(out / "hmp_reader");
    sensor_table_seeds(out / "sensor_table_reader");
    npy_seeds(out / "npy");
    user_data_seeds(out / "user_data", work);
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::cerr << "fuzz_make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
