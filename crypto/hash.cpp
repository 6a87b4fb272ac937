#include "crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "crypto/detail/openssl.hpp"

namespace kayou::crypto {
namespace {

using detail::bytes;

std::string digest(const EVP_MD* md, std::string_view data) {
    std::string out(static_cast<std::size_t>(EVP_MD_get_size(md)), '\0');
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), detail::bytes(out), &len, md, nullptr) != 1 ||
        len != out.size()) {
        detail::throw_openssl("EVP_Digest");
    }
    return out;
}

struct MacDeleter {
    void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

EVP_MAC* mac_hmac() {
    // Never freed, for the same reason as the digests in detail/openssl.cpp.
    static EVP_MAC* mac = [] {
        EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        if (m == nullptr) detail::throw_openssl("EVP_MAC_fetch(HMAC)");
        return m;
    }();
    return mac;
}

std::string hmac(const char* digest_name, std::size_t out_len, std::string_view key,
                 std::string_view data) {
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(mac_hmac()));
    if (!ctx) detail::throw_openssl("EVP_MAC_CTX_new");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name), 0),
        OSSL_PARAM_construct_end(),
    };
    // A null key pointer means "keep the previous key" to EVP_MAC_init, which would fail on a
    // fresh context; an empty key is legal HMAC, so always hand it a real pointer.
    static const unsigned char no_key = 0;
    const unsigned char* key_ptr = key.empty() ? &no_key : bytes(key);
    std::string out(out_len, '\0');
    std::size_t len = 0;
    if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), bytes(data), data.size()) != 1 ||
        EVP_MAC_final(ctx.get(), detail::bytes(out), &len, out.size()) != 1 || len != out_len) {
        detail::throw_openssl("HMAC");
    }
    return out;
}

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string sha1(std::string_view data) { return digest(detail::md_sha1(), data); }

std::string sha256(std::string_view data) { return digest(detail::md_sha256(), data); }

std::string hmac_sha1(std::string_view key, std::string_view data) {
    return hmac("SHA1", 20, key, data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    return hmac("SHA256", 32, key, data);
}

std::string hex_lower(std::string_view in) {
    std::string out(in.size() * 2, '\0');
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto b = static_cast<unsigned char>(in[i]);
        out[2 * i] = kHexDigits[b >> 4];
        out[2 * i + 1] = kHexDigits[b & 0x0F];
    }
    return out;
}

std::optional<std::string> hex_decode(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(hex[2 * i]);
        const int lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<char>((hi << 4) | lo);
    }
    return out;
}

std::string sha1_hex(std::string_view data) { return hex_lower(sha1(data)); }

std::string sha256_hex(std::string_view data) { return hex_lower(sha256(data)); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kayou::crypto
