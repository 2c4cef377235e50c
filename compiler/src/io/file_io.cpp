// Pack files are written atomically: a crash or full disk leaves either the
// old file or the new one, never a truncated pack a device might flash.
#include "yono/compiler/io/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "yono/compiler/error.h"

namespace yono {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Temporary files are named PATH.tmp.PID.XXXXXX. A run killed between
// write and rename leaves one behind; the next write of PATH removes those
// whose process is gone, so they never accumulate, and leaves a live
// writer's alone (two processes writing one path both finish intact).
std::string temp_prefix(const std::string& path) {
  return path + ".tmp.";
}

void remove_stale_temps(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = temp_prefix(target.filename().string());
  std::error_code ec;
  fs::directory_iterator it(parent_dir(path), ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t dot = name.find('.', prefix.size());
    const std::string pid_text = name.substr(prefix.size(), dot - prefix.size());
    if (dot == std::string::npos || pid_text.empty() ||
        pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9)
      continue;  // not one of ours
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;  // another run may be removing it too
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  remove_stale_temps(path);
  std::string tmp = temp_prefix(path) + std::to_string(::getpid()) + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw Error("cannot create a temporary file next to '" + path + "': " + errno_text());
  const bool ok =
      ::fchmod(fd, 0644) == 0 && write_all(fd, bytes.data(), bytes.size()) && ::fsync(fd) == 0;
  const std::string why = errno_text();
  if (::close(fd) != 0 || !ok) {
    ::unlink(tmp.c_str());
    throw Error("cannot write '" + path + "': " + (ok ? errno_text() : why));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string rename_why = errno_text();
    ::unlink(tmp.c_str());
    throw Error("cannot write '" + path + "': " + rename_why);
  }
  // Make the rename itself durable; failure here loses nothing already
  // visible, so it is not reported.
  const int dir = ::open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "': " + errno_text());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("cannot read '" + path + "': " + errno_text());
  return bytes;
}

namespace {

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec) && !ec) return true;  // both exist: links and spellings
  // An output that does not exist yet can still name another output's path.
  std::error_code ea, eb;
  const fs::path ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

}  // namespace

void check_outputs_distinct(const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs) {
  for (size_t o = 0; o < outputs.size(); ++o) {
    if (outputs[o].empty()) continue;
    for (const std::string& in : inputs)
      if (!in.empty() && same_file(outputs[o], in))
        throw Error(outputs[o] + ": output is the input " + in + "; refusing to overwrite it");
    for (size_t p = 0; p < o; ++p)
      if (!outputs[p].empty() && same_file(outputs[o], outputs[p]))
        throw Error(outputs[o] + ": given as two different outputs");
  }
}

}  // namespace yono
