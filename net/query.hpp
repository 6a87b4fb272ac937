#pragma once
// Request-target parsing for the webhook routes: "/wx/oa?signature=..&echostr=.." -> path + params.
//
// Decoding rules (decided here, tested in tests/unit/net_query_test.cpp):
// - Percent-decoding only. A literal '+' stays '+': echostr and Encrypt are base64,
//   and a form-style decoder that turns '+' into a space corrupts them.
// - A malformed escape ("%zz", "%4", a trailing "%") rejects the whole target as bad_request.
//   WeChat and WeCom always encode correctly, so a bad escape means a mangled or forged URL, and
//   guessing (keeping it literal) would only turn it into a confusing signature failure later.
// - Duplicate keys: the first occurrence wins; later ones are dropped. The signature check must
//   see the same value the platform signed, and the platform sends each key once.
// - "a" (no '=') is key "a" with an empty value; empty segments ("&&") are skipped.
// - The path is returned raw (not percent-decoded) so routing compares exact bytes and "%2F"
//   cannot smuggle a slash. A "#fragment" is dropped.
// - At most kMaxQueryParams distinct parameters; more is bad_request (bounds the work per request).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/decode_error.hpp"

namespace kayou::net {

// The decoding result and error of every request decoder (net/decode_error.hpp).
using channels::Result;

inline constexpr std::size_t kMaxQueryParams = 64;

struct Target {
    std::string path;
    std::vector<std::pair<std::string, std::string>> params;  // decoded, unique keys, in order

    // The decoded value of `key`, or nullptr when absent.
    const std::string* find(std::string_view key) const;
    // The decoded value of `key`, or "" when absent (use find() when absent and empty differ).
    std::string_view get(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
};

// Parses an HTTP request-target in origin form ("/path?query"). A target without '?' has no
// params. Errors: bad_request for malformed escapes or too many parameters.
Result<Target> parse_target(std::string_view target);

// Parses only a query string (the part after '?', without it).
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

// Percent-decodes `text`; '+' is kept. nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace kayou::net
