// Requests larger than the machine can hold are refused before they are attempted: a file header
// that announces 10⁵ × 10⁵ × 10⁵ voxels or a geometry of 10⁹ views fails with a message giving the
// size, instead of the process being killed by the system later; an output larger than the free
// space of its disk fails before a byte is written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace tweedie {

/// Bytes the system can still give this process: MemAvailable of /proc/meminfo, or the free physical
/// pages where that file is missing; TWEEDIE_MEMORY_LIMIT (bytes) lowers it.
std::uint64_t available_memory_bytes();

/// Throws ResourceError when `bytes` exceed the available memory: "WHAT needs 7.3 PiB, more than the
/// 20.1 GiB of memory available". `bytes` is a double so that products of sizes cannot overflow.
void require_memory(double bytes, const std::string& what);

/// Throws ResourceError when the file system of `folder` has fewer than `bytes` free for this user:
/// "'out.mha' needs 1.0 MiB, more than the 252.0 KiB free on its disk".
void require_disk_space(const std::filesystem::path& folder, double bytes, const std::string& what);

/// "512 B", "1.5 KiB", "20.1 GiB".
std::string byte_text(double bytes);

}  // namespace tweedie
