#include "crypto/detail/openssl.hpp"

#include <openssl/err.h>

#include <climits>
#include <stdexcept>
#include <string>

namespace kayou::crypto::detail {
namespace {

// Fetched objects are deliberately never freed: they live as long as the process and freeing
// them from a static destructor could race OpenSSL's own atexit cleanup.
const EVP_MD* fetch_md(const char* name) {
    EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
    if (md == nullptr) throw_openssl(name);
    return md;
}

const EVP_CIPHER* fetch_cipher(const char* name) {
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
    if (cipher == nullptr) throw_openssl(name);
    return cipher;
}

}  // namespace

void clear_errors() noexcept { ERR_clear_error(); }

void throw_openssl(const char* what) {
    std::string message = std::string("openssl: ") + what;
    if (unsigned long code = ERR_get_error(); code != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        message += ": ";
        message += buf;
    }
    ERR_clear_error();
    throw std::runtime_error(message);
}

const EVP_MD* md_sha1() {
    static const EVP_MD* md = fetch_md("SHA1");
    return md;
}

const EVP_MD* md_sha256() {
    static const EVP_MD* md = fetch_md("SHA256");
    return md;
}

const EVP_CIPHER* cipher_aes256_cbc() {
    static const EVP_CIPHER* cipher = fetch_cipher("AES-256-CBC");
    return cipher;
}

const EVP_CIPHER* cipher_aes256_gcm() {
    static const EVP_CIPHER* cipher = fetch_cipher("AES-256-GCM");
    return cipher;
}

bool aes256_cbc_nopad(bool encrypt, const unsigned char* key32, const unsigned char* iv16,
                      const unsigned char* in, std::size_t n, unsigned char* out) {
    if (n % 16 != 0 || n > static_cast<std::size_t>(INT_MAX)) return false;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int written = 0;
    int tail = 0;
    const bool ok =
        ctx &&
        EVP_CipherInit_ex2(ctx.get(), cipher_aes256_cbc(), key32, iv16, encrypt ? 1 : 0, nullptr) ==
            1
        // The WeChat scheme pads to 32 by hand; OpenSSL's 16-byte PKCS#7 would reject pads 17..32.
        && EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
        (n == 0 || EVP_CipherUpdate(ctx.get(), out, &written, in, static_cast<int>(n)) == 1) &&
        EVP_CipherFinal_ex(ctx.get(), out + written, &tail) == 1 &&
        static_cast<std::size_t>(written + tail) == n;
    if (!ok) clear_errors();
    return ok;
}

}  // namespace kayou::crypto::detail
