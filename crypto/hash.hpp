#pragma once
// Digests, HMACs and hex helpers. Raw functions return binary strings (20 or 32 bytes); the
// *_hex variants return lowercase hex, the form every signature scheme we speak expects.

#include <optional>
#include <string>
#include <string_view>

namespace kayou::crypto {

std::string sha1(std::string_view data);                               // raw 20 bytes
std::string sha256(std::string_view data);                             // raw 32 bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // raw 20 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes

std::string hex_lower(std::string_view bytes);
// Accepts upper and lower case digits; nullopt on an odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

// Compares in time independent of where the inputs differ (CRYPTO_memcmp), so a signature check
// leaks nothing about how many leading characters an attacker guessed. Only the length can leak:
// inputs of different lengths compare false immediately.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace kayou::crypto
