// Whole numbers from JSON documents that come from outside (geometry files, recipes, model
// headers). nlohmann converts any JSON number to an integer by a cast: 2.5 silently becomes 2 and
// 1e300 is undefined behaviour. These read only integers, within a range, or throw ParameterError
// naming the key. Header-only and generic in the JSON type, so that core need not link nlohmann.
#pragma once

#include "core/error.h"

#include <cstdint>
#include <limits>
#include <string>

namespace tweedie {

template <class Json>
std::int64_t json_integer(const Json& value, const std::string& key, std::int64_t low = std::numeric_limits<std::int64_t>::min(),
                          std::int64_t high = std::numeric_limits<std::int64_t>::max()) {
  const auto refuse = [&] {
    throw ParameterError("'" + key + "' must be a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                         ", not " + value.dump());
  };
  if (!value.is_number_integer()) refuse();
  if (value.is_number_unsigned()) {
    const auto u = value.template get<std::uint64_t>();
    if (high < 0 || u > static_cast<std::uint64_t>(high)) refuse();
    const auto v = static_cast<std::int64_t>(u);
    if (v < low) refuse();
    return v;
  }
  const auto v = value.template get<std::int64_t>();
  if (v < low || v > high) refuse();
  return v;
}

/// `object[key]` as json_integer, or `fallback` when the key is absent.
template <class Json>
std::int64_t json_integer_or(const Json& object, const std::string& key, std::int64_t fallback,
                             std::int64_t low = std::numeric_limits<std::int64_t>::min(),
                             std::int64_t high = std::numeric_limits<std::int64_t>::max()) {
  return object.contains(key) ? json_integer(object.at(key), key, low, high) : fallback;
}

}  // namespace tweedie
