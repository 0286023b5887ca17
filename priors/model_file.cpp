#include "priors/model_file.h"

#include "core/build_info.h"
#include "core/error.h"
#include "core/json_integer.h"
#include "core/staged_output.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tweedie {
namespace {

static_assert(std::endian::native == std::endian::little, "model files store little-endian floats");

constexpr const char* kMagic = "tweedie-model";

using Json = nlohmann::json;

Json header_of(const Model& model) {
  const NetworkArchitecture& a = model.architecture;
  Json architecture{{"depth", a.depth}, {"width", a.width}, {"kernel", a.kernel}, {"unshuffle", a.unshuffle}};
  if (a.context > 0) architecture["context"] = a.context;  // 2D models' headers as they always were
  return {{"architecture", architecture},
          {"parameter_count", a.parameter_count()},
          {"normalisation",
           {{"units", model.normalisation.units}, {"offset", model.normalisation.offset}, {"scale", model.normalisation.scale}}},
          {"modality", model.modality},
          {"sigma_range", {model.sigma_min, model.sigma_max}},
          {"recipe", Json::parse(model.recipe_json)},
          {"data_checksum", model.data_checksum},
          {"training", Json::parse(model.training_summary_json)},
          {"written_by", "tweedie " + tweedie_version()}};
}

Model model_of(const Json& header) {
  Model model;
  const Json& a = header.at("architecture");
  model.architecture = {json_integer(a.at("depth"), "depth"), json_integer(a.at("width"), "width"),
                        json_integer(a.at("kernel"), "kernel"), json_integer(a.at("unshuffle"), "unshuffle"),
                        json_integer_or(a, "context", 0)};
  model.architecture.validate();
  const Json& n = header.at("normalisation");
  model.normalisation = {n.at("units"), n.at("offset"), n.at("scale")};
  model.modality = header.at("modality");
  model.sigma_min = header.at("sigma_range").at(0);
  model.sigma_max = header.at("sigma_range").at(1);
  model.recipe_json = header.at("recipe").dump();
  model.data_checksum = header.at("data_checksum");
  model.training_summary_json = header.at("training").dump();
  return model;
}

std::uint32_t crc32_of(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void append_floats(std::string& out, const std::vector<float>& values) {
  const std::size_t start = out.size();
  out.resize(start + values.size() * sizeof(float));
  std::memcpy(out.data() + start, values.data(), values.size() * sizeof(float));
}

// Line 1 "tweedie-model <version> <kind>", line 2 the header length, the JSON header, the float
// arrays, then the CRC-32 of everything before it as 8 hex digits and a newline.
void write_container(const std::filesystem::path& path, const std::string& kind, const Json& header,
                     const std::vector<const std::vector<float>*>& arrays) {
  const std::string text = header.dump(2);
  std::string bytes = std::string(kMagic) + " " + std::to_string(kModelFormatVersion) + " " + kind + "\n" +
                      std::to_string(text.size()) + "\n" + text;
  for (const std::vector<float>* values : arrays) append_floats(bytes, *values);
  char checksum[16];
  std::snprintf(checksum, sizeof checksum, "%08x\n", crc32_of(bytes));
  bytes += checksum;
  StagedOutput out(path);
  {
    std::ofstream file(out.path(), std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file.flush()) throw IoError("cannot write '" + path.string() + "'");
  }
  out.commit();
}

struct Container {
  std::string kind;
  Json header;
  std::string payload;  // the float arrays
};

// `text` as a whole number in `base`, every character a digit (std::stoul would take "12abc" and
// throw on "abc").
bool parse_whole(const std::string& text, int base, std::size_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

Container read_container(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw IoError("cannot read model file '" + path.string() + "'");
  std::ostringstream buffer;
  buffer << file.rdbuf();
  const std::string bytes = buffer.str();
  const auto fail = [&](const std::string& why) { throw IoError("model file '" + path.string() + "' " + why); };
  std::istringstream lines(bytes);
  std::string magic, kind;
  int version = 0;
  std::string first_line;
  std::getline(lines, first_line);
  std::istringstream(first_line) >> magic >> version >> kind;
  if (magic != kMagic) fail("is not a Tweedie model (it does not start with '" + std::string(kMagic) + "')");
  if (version != kModelFormatVersion) {
    fail("has format version " + std::to_string(version) + "; this Tweedie reads version " +
         std::to_string(kModelFormatVersion));
  }
  std::string length_line;
  std::getline(lines, length_line);
  const std::size_t header_start = first_line.size() + 1 + length_line.size() + 1;
  std::size_t header_length = 0;
  if (!parse_whole(length_line, 10, header_length)) fail("has a damaged header");
  if (header_start > bytes.size() || header_length > bytes.size() - header_start || bytes.size() - header_start - header_length < 9) {
    fail("is truncated");
  }
  Container c{kind, {}, {}};
  try {
    c.header = Json::parse(bytes.substr(header_start, header_length));
  } catch (const Json::exception&) {
    fail("has a damaged header");
  }
  const std::size_t end = bytes.size() - 9;  // the checksum line
  std::size_t checksum = 0;
  if (bytes[bytes.size() - 1] != '\n' || !parse_whole(bytes.substr(end, 8), 16, checksum) || crc32_of(bytes.substr(0, end)) != checksum) {
    fail("is damaged or truncated (checksum mismatch)");
  }
  c.payload = bytes.substr(header_start + header_length, end - header_start - header_length);
  return c;
}

std::vector<float> take_floats(const std::string& payload, std::size_t& offset, std::int64_t count,
                               const std::filesystem::path& path) {
  if (count < 0 || offset > payload.size() || static_cast<std::size_t>(count) > (payload.size() - offset) / sizeof(float)) {
    throw IoError("model file '" + path.string() + "' is truncated");
  }
  const std::size_t bytes = static_cast<std::size_t>(count) * sizeof(float);
  std::vector<float> values(static_cast<std::size_t>(count));
  std::memcpy(values.data(), payload.data() + offset, bytes);
  offset += bytes;
  return values;
}

Model model_from(const Container& c, const std::filesystem::path& path, std::size_t& offset) {
  Model model;
  try {
    model = model_of(c.header);
  } catch (const Json::exception& e) {
    throw IoError("model file '" + path.string() + "' has an incomplete header: " + e.what());
  }
  const std::int64_t count = model.architecture.parameter_count();
  if (c.header.value("parameter_count", std::int64_t{-1}) != count) {
    throw IoError("model file '" + path.string() + "' declares a parameter count that does not match its architecture");
  }
  model.parameters = take_floats(c.payload, offset, count, path);
  return model;
}

}  // namespace

Model read_model(const std::filesystem::path& path) {
  const Container c = read_container(path);
  if (c.kind != "model") {
    throw IoError("'" + path.string() + "' is a training " + c.kind + ", not a model (finish or resume the training)");
  }
  std::size_t offset = 0;
  Model model = model_from(c, path, offset);
  if (offset != c.payload.size()) throw IoError("model file '" + path.string() + "' has trailing data");
  return model;
}

void write_model(const Model& model, const std::filesystem::path& path) {
  if (static_cast<std::int64_t>(model.parameters.size()) != model.architecture.parameter_count()) {
    throw ShapeError("the model has " + std::to_string(model.parameters.size()) + " parameters, its architecture " +
                     std::to_string(model.architecture.parameter_count()));
  }
  write_container(path, "model", header_of(model), {&model.parameters});
}

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  const Container c = read_container(path);
  if (c.kind != "checkpoint") throw IoError("'" + path.string() + "' is not a training checkpoint");
  Checkpoint checkpoint;
  std::size_t offset = 0;
  checkpoint.model = model_from(c, path, offset);
  const std::int64_t count = checkpoint.model.architecture.parameter_count();
  checkpoint.first_moment = take_floats(c.payload, offset, count, path);
  checkpoint.second_moment = take_floats(c.payload, offset, count, path);
  try {
    checkpoint.step = json_integer(c.header.at("step"), "step", 0);
    checkpoint.gradient_norm_average = c.header.at("gradient_norm_average").get<double>();
  } catch (const Json::exception& e) {
    throw IoError("checkpoint '" + path.string() + "' has an incomplete header: " + e.what());
  }
  return checkpoint;
}

void write_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& path) {
  Json header = header_of(checkpoint.model);
  header["step"] = checkpoint.step;
  header["gradient_norm_average"] = checkpoint.gradient_norm_average;
  write_container(path, "checkpoint", header,
                  {&checkpoint.model.parameters, &checkpoint.first_moment, &checkpoint.second_moment});
}

}  // namespace tweedie
