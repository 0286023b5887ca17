#include "apps/json_config.h"

#include <nlohmann/json.hpp>

namespace tweedie::app {
namespace {

// A JSON value as CLI11's input strings: arrays give one string per element.
std::vector<std::string> inputs_of(const nlohmann::json& value) {
  if (value.is_array()) {
    std::vector<std::string> inputs;
    for (const nlohmann::json& element : value) {
      const std::vector<std::string> one = inputs_of(element);
      inputs.insert(inputs.end(), one.begin(), one.end());
    }
    return inputs;
  }
  return {value.is_string() ? value.get<std::string>() : value.dump()};
}

// An input string as the JSON value it reads as: a number or boolean where it is one.
nlohmann::json value_of(const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  const nlohmann::json number = nlohmann::json::parse(text, nullptr, false);
  return number.is_number() ? number : nlohmann::json(text);
}

// The options of `app` that have a value (given, or a default), by long name; not --help, --config.
void add_options(const CLI::App& app, nlohmann::json& document) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_lnames().empty() || !option->get_configurable()) continue;
    const std::string& name = option->get_lnames().front();
    if (name == "help" || name == "config") continue;
    std::vector<std::string> values = option->results();
    if (values.empty() && !option->get_default_str().empty()) values = {option->get_default_str()};
    if (values.empty()) continue;
    if (values.size() == 1 && option->get_items_expected_max() <= 1) {
      document[name] = value_of(values.front());
    } else {
      document[name] = nlohmann::json::array();
      for (const std::string& v : values) document[name].push_back(value_of(v));
    }
  }
}

}  // namespace

std::string JsonConfig::to_config(const CLI::App* app, bool, bool, std::string) const {
  nlohmann::json document = nlohmann::json::object();
  add_options(*app, document);
  return document.dump(2) + "\n";
}

std::vector<CLI::ConfigItem> JsonConfig::from_config(std::istream& input) const {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(input);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number beyond double's range
    throw CLI::ConversionError("the configuration file is not valid JSON: " + std::string(e.what()));
  }
  if (!document.is_object()) throw CLI::ConversionError("the configuration file must hold one JSON object");
  std::vector<std::string> parents;
  for (const CLI::App* command : root_.get_subcommands()) parents = {command->get_name()};
  std::vector<CLI::ConfigItem> config_items;
  for (const auto& [key, value] : document.items()) {
    CLI::ConfigItem item;
    const bool main_option = root_.get_option_no_throw("--" + key) != nullptr;
    if (!main_option) {
      const CLI::App* command = parents.empty() ? nullptr : root_.get_subcommand(parents.front());
      if (!command || !command->get_option_no_throw("--" + key)) {
        throw CLI::ConversionError("the configuration file sets '" + key + "', which is not an option of tweedie " +
                                   (parents.empty() ? std::string("") : parents.front()));
      }
      item.parents = parents;
    }
    item.name = key;
    item.inputs = inputs_of(value);
    config_items.push_back(std::move(item));
  }
  return config_items;
}

std::string effective_configuration(const CLI::App& root, const CLI::App& command) {
  nlohmann::json document = nlohmann::json::object();
  add_options(root, document);
  add_options(command, document);
  return document.dump(2) + "\n";
}

}  // namespace tweedie::app
