#pragma once
// Cryptographically secure randomness (OpenSSL's DRBG). Both functions throw std::runtime_error
// if the generator fails, because silently returning weak bytes would be worse than no answer.

#include <cstddef>
#include <string>

namespace kayou::crypto {

std::string random_bytes(std::size_t n);
// n characters uniformly drawn from [A-Za-z0-9] (no modulo bias).
std::string random_alnum(std::size_t n);

}  // namespace kayou::crypto
