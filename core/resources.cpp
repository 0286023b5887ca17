#include "core/resources.h"

#include "core/error.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace tweedie {

std::uint64_t available_memory_bytes() {
  std::uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kibibytes = 0;
  std::string unit;
  while (meminfo >> key >> kibibytes >> unit) {
    if (key == "MemAvailable:") {
      available = kibibytes * 1024;
      break;
    }
  }
  if (available == 0) {
    available = static_cast<std::uint64_t>(sysconf(_SC_AVPHYS_PAGES)) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  }
  if (const char* limit = std::getenv("TWEEDIE_MEMORY_LIMIT")) {
    available = std::min<std::uint64_t>(available, std::strtoull(limit, nullptr, 10));
  }
  return available;
}

std::string byte_text(double bytes) {
  static constexpr std::array<const char*, 7> units{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < units.size()) bytes /= 1024.0, ++unit;
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text.data();
}

void require_memory(double bytes, const std::string& what) {
  const auto available = static_cast<double>(available_memory_bytes());
  if (bytes > available) {
    throw ResourceError(what + " needs " + byte_text(bytes) + ", more than the " + byte_text(available) +
                        " of memory available");
  }
}

void require_disk_space(const std::filesystem::path& folder, double bytes, const std::string& what) {
  struct statvfs disk {};
  if (statvfs(folder.c_str(), &disk) != 0) return;  // unknown: the write itself will tell
  const double free = static_cast<double>(disk.f_bavail) * static_cast<double>(disk.f_frsize);
  if (bytes > free) {
    throw ResourceError(what + " needs " + byte_text(bytes) + ", more than the " + byte_text(free) + " free on its disk");
  }
}

}  // namespace tweedie
