#pragma once
// Small, exception-free accessors over nlohmann::json for the JSON codecs: a field of the wrong
// type reads as absent, so hostile input becomes a bad_request, never an exception.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kayou::channels::json_util {

// The member `key` of `object`, or nullptr when `object` is not an object or lacks it.
inline const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// A string member; nullopt when absent or not a string.
inline std::optional<std::string> string_member(const nlohmann::json& object,
                                                std::string_view key) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

// An id member: a string, or an integer written in decimal (bridges differ; JS numbers above
// 2^53 lose precision, so strings are preferred: docs/bridge-protocol.md).
inline std::optional<std::string> id_member(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number_unsigned()) return std::to_string(value->get<std::uint64_t>());
    if (value->is_number_integer()) return std::to_string(value->get<std::int64_t>());
    return std::nullopt;
}

inline std::optional<std::int64_t> int_member(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (value->is_number_integer()) {
        if (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX)
            return std::nullopt;
        return value->get<std::int64_t>();
    }
    return std::nullopt;
}

inline std::optional<double> number_member(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    return value->get<double>();
}

// Serializes without throwing: invalid UTF-8 (never expected after cleaning) becomes U+FFFD.
inline std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Parses without throwing; nullopt on malformed JSON. Nesting is limited by the body limit.
inline std::optional<nlohmann::json> parse(std::string_view text) {
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

}  // namespace kayou::channels::json_util
