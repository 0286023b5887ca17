#include "apps/mpi_slice_distribution.h"

#include "apps/mpi_session.h"
#include "core/error.h"

#include <cstring>

namespace tweedie::app {
namespace {

constexpr int kSlicesTag = 7;

// A rank's message: "F" and the failure, or "S" then per slice its number and size (8 bytes each)
// and its packed bytes.
void append_number(std::string& bytes, std::uint64_t value) { bytes.append(reinterpret_cast<const char*>(&value), sizeof value); }

std::uint64_t read_number(const std::string& bytes, std::size_t& at) {
  std::uint64_t value = 0;
  if (at + sizeof value > bytes.size()) throw IoError("a rank's slices arrived cut short");
  std::memcpy(&value, bytes.data() + at, sizeof value);
  at += sizeof value;
  return value;
}

}  // namespace

MpiSliceDistribution::MpiSliceDistribution() : rank_(mpi_rank()), size_(mpi_size()) {}

bool MpiSliceDistribution::owns(std::int64_t z, std::int64_t) const { return z % size_ == rank_; }

std::vector<std::string> MpiSliceDistribution::gather(const std::map<std::int64_t, std::string>& mine, std::int64_t slices,
                                                      const std::optional<std::string>& failure) {
  if (rank_ != 0) {
    std::string message;
    if (failure) {
      message = "F" + *failure;
    } else {
      message = "S";
      for (const auto& [z, bytes] : mine) {
        append_number(message, static_cast<std::uint64_t>(z));
        append_number(message, bytes.size());
        message += bytes;
      }
    }
    send_text(message, 0, kSlicesTag);
    if (failure) throw Error(*failure);
    return {};
  }
  std::vector<std::string> all(static_cast<std::size_t>(slices));
  for (const auto& [z, bytes] : mine) all[static_cast<std::size_t>(z)] = bytes;
  std::optional<std::string> first_failure = failure;
  for (int rank = 1; rank < size_; ++rank) {
    const std::string message = receive_text(rank, kSlicesTag);
    if (message.empty() || message[0] == 'F') {
      if (!first_failure) first_failure = "rank " + std::to_string(rank) + ": " + message.substr(message.empty() ? 0 : 1);
      continue;
    }
    for (std::size_t at = 1; at < message.size();) {
      const std::uint64_t z = read_number(message, at), size = read_number(message, at);
      if (z >= all.size() || at + size > message.size()) throw IoError("rank " + std::to_string(rank) + " sent a slice that does not fit");
      all[z] = message.substr(at, size);
      at += size;
    }
  }
  if (first_failure) throw Error(*first_failure);
  return all;
}

}  // namespace tweedie::app
