#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "crypto/detail/openssl.hpp"

namespace kayou::crypto {
namespace {

constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr unsigned kAlnumCount = sizeof(kAlnum) - 1;  // 62
// Bytes at or above 248 (= 4 * 62) are dropped so every character keeps probability 1/62.
constexpr unsigned kAcceptBelow = 256 / kAlnumCount * kAlnumCount;

void fill(unsigned char* out, std::size_t n) {
    while (n > 0) {
        const int chunk = static_cast<int>(std::min<std::size_t>(n, INT_MAX));
        if (RAND_bytes(out, chunk) != 1) detail::throw_openssl("RAND_bytes");
        out += chunk;
        n -= static_cast<std::size_t>(chunk);
    }
}

}  // namespace

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    fill(detail::bytes(out), n);
    return out;
}

std::string random_alnum(std::size_t n) {
    std::string out;
    out.reserve(n);
    unsigned char buf[64];
    while (out.size() < n) {
        // 3% of bytes are rejected, so asking for a little more than needed usually takes one
        // round.
        const std::size_t want = std::min(sizeof buf, (n - out.size()) + (n - out.size()) / 16 + 2);
        fill(buf, want);
        for (std::size_t i = 0; i < want && out.size() < n; ++i) {
            if (buf[i] < kAcceptBelow) out.push_back(kAlnum[buf[i] % kAlnumCount]);
        }
    }
    return out;
}

}  // namespace kayou::crypto
