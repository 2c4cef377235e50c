// The ELF section reader on a tiny image the test writes itself: names,
// flags and sizes come back as written, the flash/RAM split follows the
// flags, and every truncation or corruption is a yono::Error naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "yono/compiler/error.h"
#include "yono/compiler/measure/elf_sections.h"
#include "yono/compiler/measure/memory_use.h"

namespace {

using yono::measure::ElfSection;

struct Spec {
  const char* name;
  uint32_t type, flags, addr, size;
};

void put(std::vector<uint8_t>& b, size_t at, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
}

// Layout: ELF header, section contents, name table, section headers.
std::vector<uint8_t> tiny_elf() {
  const std::vector<Spec> specs = {
      {"", 0, 0, 0, 0},
      {".text", 1, 0x6, 0x0, 16},
      {".rodata", 1, 0x2, 0x10, 12},
      {".data", 1, 0x3, 0x20000000, 8},
      {".bss", 8, 0x3, 0x20000008, 100},
      {".stack", 8, 0x3, 0x20000070, 64},
      {".debug_info", 1, 0x0, 0, 4},
      {".shstrtab", 3, 0x0, 0, 0},
  };
  std::vector<uint8_t> image(52, 0);
  std::string names(1, '\0');
  std::vector<uint32_t> name_at, offset_at;
  for (const Spec& s : specs) {
    name_at.push_back(s.name[0] ? static_cast<uint32_t>(names.size()) : 0);
    if (s.name[0]) names += std::string(s.name) + '\0';
    offset_at.push_back(static_cast<uint32_t>(image.size()));
    if (s.type != 8 && s.type != 3) image.resize(image.size() + s.size, 0xAB);
  }
  const uint32_t strtab = static_cast<uint32_t>(image.size());
  image.insert(image.end(), names.begin(), names.end());
  while (image.size() % 4) image.push_back(0);
  const uint32_t shoff = static_cast<uint32_t>(image.size());
  image.resize(image.size() + 40 * specs.size(), 0);
  for (size_t i = 0; i < specs.size(); ++i) {
    const size_t h = shoff + 40 * i;
    const bool is_strtab = specs[i].type == 3;
    put(image, h, name_at[i], 4);
    put(image, h + 4, specs[i].type, 4);
    put(image, h + 8, specs[i].flags, 4);
    put(image, h + 12, specs[i].addr, 4);
    put(image, h + 16, is_strtab ? strtab : offset_at[i], 4);
    put(image, h + 20, is_strtab ? static_cast<uint32_t>(names.size()) : specs[i].size, 4);
  }
  image[0] = 0x7f, image[1] = 'E', image[2] = 'L', image[3] = 'F';
  image[4] = 1, image[5] = 1, image[6] = 1;
  put(image, 16, 2, 2);   // ET_EXEC
  put(image, 18, 40, 2);  // EM_ARM
  put(image, 32, shoff, 4);
  put(image, 40, 52, 2);
  put(image, 46, 40, 2);
  put(image, 48, static_cast<uint32_t>(specs.size()), 2);
  put(image, 50, static_cast<uint32_t>(specs.size() - 1), 2);
  return image;
}

void expect_error_naming(const std::vector<uint8_t>& image, const std::string& what) {
  try {
    yono::measure::parse_elf32_sections(image, "fw.elf");
    ADD_FAILURE() << "no error for " << what;
  } catch (const yono::Error& e) {
    EXPECT_NE(std::string(e.what()).find("fw.elf"), std::string::npos) << e.what();
  }
}

TEST(McuElfSections, ReadsNamesTypesFlagsAndSizes) {
  const std::vector<ElfSection> s = yono::measure::parse_elf32_sections(tiny_elf(), "fw.elf");
  ASSERT_EQ(s.size(), 8u);
  EXPECT_EQ(s[1].name, ".text");
  EXPECT_EQ(s[1].size, 16u);
  EXPECT_EQ(s[1].flags, yono::measure::kShfAlloc | yono::measure::kShfExecInstr);
  EXPECT_EQ(s[3].name, ".data");
  EXPECT_EQ(s[3].addr, 0x20000000u);
  EXPECT_EQ(s[4].name, ".bss");
  EXPECT_EQ(s[4].type, yono::measure::kShtNobits);
  EXPECT_EQ(s[4].size, 100u);
  EXPECT_EQ(s[7].name, ".shstrtab");
}

TEST(McuElfSections, FlashHoldsLoadImageAndRamHoldsDataBssButNotTheStack) {
  const yono::measure::MemoryUse use =
      yono::measure::memory_use(yono::measure::parse_elf32_sections(tiny_elf(), "fw.elf"));
  EXPECT_EQ(use.flash, 16u + 12u + 8u);  // .text + .rodata + .data's initial values
  EXPECT_EQ(use.ram_data, 8u);
  EXPECT_EQ(use.ram_bss, 100u);
  EXPECT_EQ(use.stack_reserved, 64u);
}

TEST(McuElfSections, ReadsTheFileItNames) {
  const std::string path = ::testing::TempDir() + "mcu_tiny_" + std::to_string(::getpid()) + ".elf";
  const std::vector<uint8_t> image = tiny_elf();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(image.data()),
             static_cast<std::streamsize>(image.size()));
  EXPECT_EQ(yono::measure::read_elf32_sections(path).size(), 8u);
  std::remove(path.c_str());
  EXPECT_THROW(yono::measure::read_elf32_sections(path), yono::Error);
}

TEST(McuElfSections, EveryTruncationIsAnErrorNamingTheFile) {
  const std::vector<uint8_t> image = tiny_elf();
  for (size_t n = 0; n < image.size(); ++n) {
    const std::vector<uint8_t> cut(image.begin(), image.begin() + static_cast<std::ptrdiff_t>(n));
    expect_error_naming(cut, "truncated to " + std::to_string(n));
  }
}

TEST(McuElfSections, CorruptHeadersAreErrorsNamingTheFile) {
  std::vector<uint8_t> bad = tiny_elf();
  bad[1] = 'X';
  expect_error_naming(bad, "bad magic");
  bad = tiny_elf();
  bad[4] = 2;
  expect_error_naming(bad, "ELF64");
  bad = tiny_elf();
  bad[5] = 2;
  expect_error_naming(bad, "big-endian");
  bad = tiny_elf();
  put(bad, 50, 200, 2);
  expect_error_naming(bad, "name table index");
  bad = tiny_elf();
  put(bad, 32, 0xFFFFFFF0u, 4);
  expect_error_naming(bad, "section headers past the end");
  bad = tiny_elf();
  put(bad, 46, 8, 2);
  expect_error_naming(bad, "tiny section header size");
  bad = tiny_elf();
  const uint32_t shoff =
      bad[32] | bad[33] << 8 | bad[34] << 16 | static_cast<uint32_t>(bad[35]) << 24;
  put(bad, shoff + 40 + 20, 0x7FFFFFFF, 4);  // .text size
  expect_error_naming(bad, "section past the end");
  bad = tiny_elf();
  put(bad, shoff + 40, 0xFFFF, 4);  // .text name offset
  expect_error_naming(bad, "name outside the table");
}

}  // namespace
