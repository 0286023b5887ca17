#include "core/metaimage_header.h"

#include "core/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tweedie {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kLongestName = 254;   // MetaIO's MET_MAX_NAME_SIZE, less its terminating zero
constexpr std::size_t kLongestText = 254;   // the same bound for text values (names, comments, files)
constexpr std::size_t kMostLines = 1000;    // of the header
constexpr std::size_t kLongestLine = 4096;  // a 10-dimensional TransformMatrix takes about 2,500
constexpr std::uintmax_t kMostDimensions = 10;  // MetaIO's per-dimension arrays hold 10
constexpr std::uintmax_t kLargestCount = std::uintmax_t{1} << 60;

// The bytes of the UTF-8 sequence that starts text[i] (2 to 4), or 0 when none does.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  const std::size_t length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  return length;
}

// Printable text: no control bytes but tabs (a NUL ends a name for MetaIO, a 0xff byte a value), no
// malformed UTF-8.
bool is_text(std::string_view line) {
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
      ++i;
    } else if (const std::size_t length = utf8_sequence_length(line, i)) {
      i += length;
    } else {
      return false;
    }
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view blank = " \t";
  text.remove_prefix(std::min(text.find_first_not_of(blank), text.size()));
  text.remove_suffix(text.size() - std::min(text.find_last_not_of(blank) + 1, text.size()));
  return text;
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> result;
  while (!(text = trimmed(text)).empty()) {
    const std::size_t end = std::min(text.find_first_of(" \t"), text.size());
    result.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return result;
}

std::optional<std::uintmax_t> whole_number(std::string_view word, std::uintmax_t low, std::uintmax_t high) {
  std::uintmax_t n = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), n);
  if (word.empty() || error != std::errc() || end != word.data() + word.size() || n < low || n > high) return std::nullopt;
  return n;
}

bool is_finite_number(std::string_view word) {
  double x = 0.0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), x);
  return !word.empty() && error == std::errc() && end == word.data() + word.size() && std::isfinite(x);
}

std::string lowercase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

class HeaderReader {
 public:
  explicit HeaderReader(const fs::path& path) : path_(path) {}

  // Checks one line; true when it was the last (ElementDataFile).
  bool read_line(std::string_view line) {
    ++line_number_;
    if (line_number_ > kMostLines) fail("is beyond the " + std::to_string(kMostLines) + " lines a header may have, and no ElementDataFile came");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_text(line)) fail("holds a byte that is not text");
    if (trimmed(line).empty()) return false;
    const std::size_t separator = line.find_first_of("=:");
    if (separator == std::string_view::npos) fail("is not 'Name = Value'");
    if (separator > kLongestName) {
      fail("has a header field name of " + std::to_string(separator) + " characters; MetaImage allows " + std::to_string(kLongestName));
    }
    const std::string name(trimmed(line.substr(0, separator)));
    const std::string_view value = trimmed(line.substr(separator + 1));
    check_value(name, value);
    if (is_known(name) && !seen_.insert(name).second) fail("sets " + name + " a second time");
    if (name != "ElementDataFile") return false;
    for (const char* required : {"NDims", "DimSize", "ElementType"}) {
      if (!seen_.count(required)) fail("ends the header (ElementDataFile) before " + std::string(required) + " was given");
    }
    return true;
  }

  std::uintmax_t compressed_data_size() const { return compressed_data_size_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw IoError("'" + path_.string() + "', header line " + std::to_string(line_number_) + ", " + what);
  }

 private:
  static bool is_known(const std::string& name) {
    static const std::set<std::string> known = {
        "NDims", "DimSize", "ElementType", "ElementDataFile", "ElementNumberOfChannels", "CompressedDataSize",
        "HeaderSize", "BinaryData", "BinaryDataByteOrderMSB", "ElementByteOrderMSB", "CompressedData",
        "ElementSpacing", "ElementSize", "Offset", "Position", "Origin", "CenterOfRotation", "TransformMatrix",
        "Rotation", "Orientation", "AnatomicalOrientation"};
    return known.count(name) > 0;
  }

  void refuse(const std::string& name, std::string_view value, const std::string& what) const {
    fail("has " + name + " '" + std::string(value.substr(0, kLongestText)) + "', which is not " + what);
  }

  std::uintmax_t count(const std::string& name, std::string_view value, std::uintmax_t low, std::uintmax_t high,
                       const std::string& what) const {
    const auto n = whole_number(value, low, high);
    if (!n) refuse(name, value, what);
    return *n;
  }

  // A list of `n` values, n counted from NDims (which must come first).
  std::vector<std::string_view> per_dimension(const std::string& name, std::string_view value, std::uintmax_t power) const {
    if (dimensions_ == 0) fail("gives " + name + " before NDims");
    const std::uintmax_t n = power == 1 ? dimensions_ : dimensions_ * dimensions_;
    std::vector<std::string_view> list = words(value);
    if (list.size() != n) refuse(name, value, std::to_string(n) + " values (NDims " + std::to_string(dimensions_) + ")");
    return list;
  }

  void check_value(const std::string& name, std::string_view value) {
    if (name == "NDims") {
      dimensions_ = count(name, value, 1, kMostDimensions, "a dimension count from 1 to 10");
    } else if (name == "ElementNumberOfChannels") {
      count(name, value, 1, 4096, "a channel count from 1 to 4096");
    } else if (name == "CompressedDataSize") {
      compressed_data_size_ = count(name, value, 0, kLargestCount, "a byte count");
    } else if (name == "HeaderSize") {
      if (value != "-1" && !whole_number(value, 0, kLargestCount)) refuse(name, value, "a byte count or -1");
    } else if (name == "BinaryData" || name == "BinaryDataByteOrderMSB" || name == "ElementByteOrderMSB" || name == "CompressedData") {
      const std::string v = lowercase(value);
      if (v != "true" && v != "false" && v != "1" && v != "0") refuse(name, value, "True or False");
    } else if (name == "ElementType") {
      static const std::regex types("MET_(U?CHAR|U?SHORT|U?INT|U?LONG|U?LONG_LONG|FLOAT|DOUBLE)(_ARRAY)?");
      if (!std::regex_match(std::string(value), types)) refuse(name, value, "a MetaImage element type (MET_FLOAT, MET_SHORT, …)");
    } else if (name == "DimSize") {
      for (std::string_view size : per_dimension(name, value, 1)) {
        if (!whole_number(size, 1, kLargestCount)) refuse(name, value, "sizes of at least 1");
      }
    } else if (name == "ElementSpacing" || name == "ElementSize" || name == "Offset" || name == "Position" || name == "Origin" ||
               name == "CenterOfRotation" || name == "TransformMatrix" || name == "Rotation" || name == "Orientation") {
      const bool matrix = name == "TransformMatrix" || name == "Rotation" || name == "Orientation";
      for (std::string_view number : per_dimension(name, value, matrix ? 2 : 1)) {
        if (!is_finite_number(number)) refuse(name, value, "finite numbers");
      }
    } else if (name == "AnatomicalOrientation") {
      if (dimensions_ == 0) fail("gives " + name + " before NDims");
      if (value.size() != dimensions_ || value.find_first_not_of("RLAPSI?") != std::string_view::npos) {
        refuse(name, value, std::to_string(dimensions_) + " letters of RLAPSI");
      }
    } else if (name == "ElementDataFile") {
      check_data_file(value);
    } else if (value.size() > kLongestText) {
      fail("has a " + name + " of " + std::to_string(value.size()) + " characters; MetaImage allows " + std::to_string(kLongestText));
    }
  }

  // The voxels in this file (LOCAL) or in one other file. MetaIO's multi-file forms are refused: a
  // LIST of names and a numbered list ("slice%03d.raw 1 40 1", whose pattern MetaIO hands to printf
  // as its format) each gave fuzzing a crash in MetaIO, and a short file among them would be read
  // as garbage.
  void check_data_file(std::string_view value) const {
    if (value == "LOCAL") return;
    if (value.starts_with("LIST") || value.find_first_of("% \t") != std::string_view::npos) {
      fail("stores the voxels in several files ('" + std::string(value.substr(0, kLongestText)) +
           "'); Tweedie reads MetaImage data in the header's file (LOCAL) or in one data file");
    }
    if (value.empty() || value.size() > kLongestText) {
      refuse("ElementDataFile", value, "LOCAL or one file name of at most 254 characters");
    }
  }

  fs::path path_;
  std::size_t line_number_ = 0;
  std::uintmax_t dimensions_ = 0;
  std::uintmax_t compressed_data_size_ = 0;
  std::set<std::string> seen_;
};

}  // namespace

MetaImageHeader read_metaimage_header(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw IoError("cannot open '" + path.string() + "'");
  HeaderReader reader(path);
  MetaImageHeader header;
  std::string line;
  bool ended = false;
  // Lines read up to kLongestLine characters (not a whole binary file named .mha into memory).
  const auto next_line = [&] {
    line.clear();
    for (int c = file.get(); c != std::char_traits<char>::eof() && c != '\n'; c = file.get()) {
      if (line.size() == kLongestLine) {
        throw IoError("'" + path.string() + "' has a header line longer than " + std::to_string(kLongestLine) + " characters");
      }
      line.push_back(static_cast<char>(c));
    }
    return !line.empty() || !file.eof();
  };
  while (!ended && next_line()) {
    header.bytes += line.size() + 1;
    ended = reader.read_line(line);
  }
  if (!ended) reader.fail("is the end of the file, and no ElementDataFile came: not a MetaImage header");
  header.compressed_data_size = reader.compressed_data_size();
  return header;
}

}  // namespace tweedie
