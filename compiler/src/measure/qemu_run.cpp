// fork/exec rather than popen: the timeout needs the child's pid to kill it,
// and the output goes to an unlinked temporary file so a chatty or hung run
// cannot block on a pipe.
#include "yono/compiler/measure/qemu_run.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "yono/compiler/error.h"

namespace yono::measure {
namespace {

bool is_executable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execvp would fail only in the child; finding the binary first gives the
// user one clear line instead of an exit status.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return is_executable(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t colon = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = colon > start ? dirs.substr(start, colon - start) : ".";
    if (is_executable(dir + "/" + name)) return dir + "/" + name;
    start = colon + 1;
  }
  return "";
}

std::string read_all(int fd) {
  std::string text;
  ::lseek(fd, 0, SEEK_SET);
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) return "";
  const size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end + 1 - (start == std::string::npos ? 0 : start + 1));
}

}  // namespace

std::vector<std::string> qemu_command(const std::string& qemu, const std::string& board,
                                      const std::string& elf) {
  return {qemu,
          "-M",
          board,
          "-nographic",
          "-monitor",
          "none",
          "-serial",
          "none",
          "-semihosting-config",
          "enable=on,target=native",
          "-icount",
          "shift=5,align=off,sleep=off",
          "-kernel",
          elf};
}

std::string run_qemu(const std::string& qemu, const std::string& board, const std::string& elf,
                     double timeout_seconds) {
  const std::string program = find_program(qemu);
  if (program.empty()) throw Error(qemu + ": not found (install qemu-system-arm or pass --qemu)");
  struct stat st;
  if (::stat(elf.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw Error(elf + ": no such firmware image");

  char tmpl[] = "/tmp/yono-qemu-XXXXXX";
  const int out = ::mkstemp(tmpl);
  if (out < 0) throw Error(std::string("cannot create a temporary file: ") + std::strerror(errno));
  ::unlink(tmpl);

  std::vector<std::string> args = qemu_command(program, board, elf);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out);
    throw Error(std::string("cannot start qemu: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0) ::dup2(null_in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(argv[0], argv.data());
    _exit(127);
  }

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      ::close(out);
      throw Error(elf + ": lost track of qemu: " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ::close(out);
      throw Error(
          fmt::format("{}: qemu did not finish within {:g} s on {}", elf, timeout_seconds, board));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string text = read_all(out);
  ::close(out);
  if (WIFSIGNALED(status))
    throw Error(elf + ": qemu was killed by signal " + std::to_string(WTERMSIG(status)));
  const int code = WEXITSTATUS(status);
  if (code == 127 && text.empty()) throw Error(qemu + ": could not be started");
  if (code != 0)
    throw Error(elf + ": run on " + board + " exited with status " + std::to_string(code) +
                (text.empty() ? "" : " (last line: " + last_line(text) + ")"));
  return text;
}

}  // namespace yono::measure
