// Every offset and count in the headers comes from the file, so each is
// checked against the image size before it is used.
#include "yono/compiler/measure/elf_sections.h"

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"

namespace yono::measure {
namespace {

constexpr size_t kElfHeaderSize = 52;
constexpr size_t kSectionHeaderSize = 40;

uint32_t le(const std::vector<uint8_t>& b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[at + static_cast<size_t>(i)];
  return v;
}

std::string section_name(const std::vector<uint8_t>& image, size_t strtab, size_t strtab_size,
                         uint32_t offset, const std::string& path) {
  if (offset >= strtab_size) throw Error(path + ": ELF section name lies outside its string table");
  std::string name;
  for (size_t i = strtab + offset; i < strtab + strtab_size; ++i) {
    if (image[i] == 0) return name;
    name.push_back(static_cast<char>(image[i]));
  }
  throw Error(path + ": ELF section name is not terminated");
}

}  // namespace

std::vector<ElfSection> parse_elf32_sections(const std::vector<uint8_t>& image,
                                             const std::string& path) {
  if (image.size() < kElfHeaderSize || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' ||
      image[3] != 'F')
    throw Error(path + ": not an ELF file (bad magic or shorter than its header)");
  if (image[4] != 1) throw Error(path + ": not a 32-bit ELF (firmware images are ELF32)");
  if (image[5] != 1) throw Error(path + ": not a little-endian ELF");
  const uint32_t shoff = le(image, 32, 4);
  const uint32_t shentsize = le(image, 46, 2);
  const uint32_t shnum = le(image, 48, 2);
  const uint32_t shstrndx = le(image, 50, 2);
  if (shnum == 0) throw Error(path + ": ELF has no section headers");
  if (shentsize < kSectionHeaderSize)
    throw Error(path + ": ELF section header size " + std::to_string(shentsize) + " is too small");
  if (shoff > image.size() || uint64_t{shnum} * shentsize > image.size() - shoff)
    throw Error(path + ": ELF is truncated (section headers run past the end of the file)");
  if (shstrndx >= shnum) throw Error(path + ": ELF section-name table index is out of range");

  const auto header = [&](uint32_t i) { return size_t{shoff} + size_t{i} * shentsize; };
  const size_t strtab = le(image, header(shstrndx) + 16, 4);
  const size_t strtab_size = le(image, header(shstrndx) + 20, 4);
  if (strtab > image.size() || strtab_size > image.size() - strtab)
    throw Error(path + ": ELF is truncated (section-name table runs past the end of the file)");

  std::vector<ElfSection> sections;
  sections.reserve(shnum);
  for (uint32_t i = 0; i < shnum; ++i) {
    const size_t h = header(i);
    ElfSection s;
    s.name = section_name(image, strtab, strtab_size, le(image, h, 4), path);
    s.type = le(image, h + 4, 4);
    s.flags = le(image, h + 8, 4);
    s.addr = le(image, h + 12, 4);
    s.size = le(image, h + 20, 4);
    const uint32_t offset = le(image, h + 16, 4);
    if (s.type != kShtNobits && s.type != 0 &&
        (offset > image.size() || s.size > image.size() - offset))
      throw Error(path + ": ELF is truncated (section '" + s.name +
                  "' runs past the end of the file)");
    sections.push_back(std::move(s));
  }
  return sections;
}

std::vector<ElfSection> read_elf32_sections(const std::string& path) {
  return parse_elf32_sections(read_file(path), path);
}

}  // namespace yono::measure
