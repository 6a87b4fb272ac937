#pragma once
// Internal to crypto/: OpenSSL plumbing shared by the .cpp files. Not part of the public API.

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kayou::crypto::detail {

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Fetched once per process: in OpenSSL 3 the legacy EVP_sha1()/EVP_aes_256_cbc() handles make
// every Init do a locked provider lookup, which shows up at 15k req/s.
const EVP_MD* md_sha1();
const EVP_MD* md_sha256();
const EVP_CIPHER* cipher_aes256_cbc();
const EVP_CIPHER* cipher_aes256_gcm();

// AES-256-CBC without padding on raw buffers. n must be a multiple of 16; out may equal in
// (in-place), which lets the WeChat path decrypt straight into its base64 output buffer.
bool aes256_cbc_nopad(bool encrypt, const unsigned char* key32, const unsigned char* iv16,
                      const unsigned char* in, std::size_t n, unsigned char* out);

inline const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// A failed call leaves entries in the thread's OpenSSL error queue; Asio's TLS code reads that
// queue later and would misreport a stale crypto failure as a TLS error. Clear on every failure.
void clear_errors() noexcept;

// Throws std::runtime_error carrying the OpenSSL error queue; used only where OpenSSL failing
// means the library itself is broken (out of memory, missing provider), never for bad input.
[[noreturn]] void throw_openssl(const char* what);

}  // namespace kayou::crypto::detail
