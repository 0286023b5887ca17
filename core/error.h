// The one error model of the library: every failure a user can cause (a missing file, a shape that
// does not fit, a parameter out of range) is thrown as a tweedie::Error whose message reads well on
// its own, naming the file, the expected and the actual value. Programs catch it once, print it on
// one line and exit non-zero; the library never exits or aborts.
#pragma once

#include <stdexcept>
#include <string>

namespace tweedie {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file or folder that cannot be read or written, or whose content is not what it claims to be.
class IoError : public Error {
 public:
  using Error::Error;
};

/// Sizes or geometries that do not fit together.
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// A parameter or input value outside its valid range (including NaN where a number is required).
class ParameterError : public Error {
 public:
  using Error::Error;
};

/// A request larger than the machine can hold (memory), refused before it is attempted.
class ResourceError : public Error {
 public:
  using Error::Error;
};

}  // namespace tweedie
