#pragma once
// RFC 4648 base64, standard alphabet, '=' padding, never any line breaks.

#include <optional>
#include <string>
#include <string_view>

namespace kayou::crypto {

std::string base64_encode(std::string_view bytes);

// Strict: the length must be a multiple of 4, only the standard alphabet is accepted, '=' may only
// appear as one or two trailing characters, and whitespace is an error. The unused low bits of the
// last character are ignored rather than required to be zero (RFC 4648 §3.5 leaves this to the
// decoder): Tencent's own sample EncodingAESKey ("...ABCDEFG" + "=") has non-zero pad bits, and
// every reference implementation accepts it.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace kayou::crypto
