#pragma once
// Strict field access for the provider JSON parsers (responses and webhooks). Internal to
// notify/signing: every failure is a ParseError that names the place ("SendStatusSet[1].Fee")
// and never the value, which may be a phone number.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "notify/signing/wire.hpp"

namespace kayou::notify::signing::detail {

using Json = nlohmann::json;

// Parses `body`; `what` names the document in the error ("Tencent SendSms response").
Json parse_json(std::string_view body, std::string_view what);

// "where.key", or "key" when where is empty: the path used in error messages.
std::string path(std::string_view where, std::string_view key);

// `obj[key]` must exist and be a string.
std::string required_string(const Json& obj, std::string_view key, std::string_view where);
// Absent or null -> ""; present with another type -> ParseError.
std::string optional_string(const Json& obj, std::string_view key, std::string_view where);
// `obj[key]` must be an integer (a JSON number without fraction).
std::int64_t required_integer(const Json& obj, std::string_view key, std::string_view where);
// Absent or null -> fallback; otherwise as required_integer.
std::int64_t optional_integer(const Json& obj, std::string_view key, std::string_view where,
                              std::int64_t fallback);
// `obj[key]` must be a boolean.
bool required_bool(const Json& obj, std::string_view key, std::string_view where);

}  // namespace kayou::notify::signing::detail
