#include "crypto/sealed_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <cstring>
#include <stdexcept>

#include "crypto/base64.hpp"
#include "crypto/detail/openssl.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace kayou::crypto {
namespace {

constexpr std::string_view kLookupLabel = "kayou-lookup-v1";
constexpr std::size_t kHeaderSize = 1 + SealedBox::kNonceSize;
constexpr std::size_t kOverhead = kHeaderSize + SealedBox::kTagSize;
// GCM's EVP interface takes int lengths; personal fields are tiny, so this is only a guard.
constexpr std::size_t kMaxPlaintext = static_cast<std::size_t>(INT_MAX) - kOverhead;

std::string_view as_view(const std::array<unsigned char, 32>& a) {
    return {reinterpret_cast<const char*>(a.data()), a.size()};
}

}  // namespace

SealedBox::~SealedBox() {
    OPENSSL_cleanse(key_.data(), key_.size());
    OPENSSL_cleanse(lookup_key_.data(), lookup_key_.size());
}

std::optional<SealedBox> SealedBox::from_key(std::string_view key32) {
    if (key32.size() != kKeySize) return std::nullopt;
    SealedBox box;
    std::memcpy(box.key_.data(), key32.data(), kKeySize);
    std::string sub = hmac_sha256(key32, kLookupLabel);
    std::memcpy(box.lookup_key_.data(), sub.data(), box.lookup_key_.size());
    OPENSSL_cleanse(sub.data(), sub.size());
    return box;
}

std::optional<SealedBox> SealedBox::from_base64_key(std::string_view b64) {
    std::optional<std::string> raw = base64_decode(b64);
    if (!raw) return std::nullopt;
    std::optional<SealedBox> box = from_key(*raw);
    OPENSSL_cleanse(raw->data(), raw->size());
    return box;
}

std::string SealedBox::seal(std::string_view plaintext, std::string_view associated_data) const {
    // 96-bit random nonces are safe for far more than 2^32 seals under one key at our volumes.
    const std::string nonce = random_bytes(kNonceSize);
    return seal_with_nonce(plaintext, nonce, associated_data);
}

std::string SealedBox::seal_with_nonce(std::string_view plaintext, std::string_view nonce12,
                                       std::string_view associated_data) const {
    if (nonce12.size() != kNonceSize)
        throw std::invalid_argument("SealedBox: nonce must be 12 bytes");
    if (plaintext.size() > kMaxPlaintext ||
        associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
        throw std::length_error("SealedBox: input too large");
    }
    std::string raw(kOverhead + plaintext.size(), '\0');
    raw[0] = static_cast<char>(kVersion);
    std::memcpy(raw.data() + 1, nonce12.data(), kNonceSize);
    unsigned char* ct = detail::bytes(raw) + kHeaderSize;

    detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    int tail = 0;
    const bool ok =
        ctx &&
        EVP_EncryptInit_ex2(ctx.get(), detail::cipher_aes256_gcm(), key_.data(),
                            detail::bytes(nonce12), nullptr) == 1 &&
        (associated_data.empty() ||
         EVP_EncryptUpdate(ctx.get(), nullptr, &len, detail::bytes(associated_data),
                           static_cast<int>(associated_data.size())) == 1) &&
        (plaintext.empty() || EVP_EncryptUpdate(ctx.get(), ct, &len, detail::bytes(plaintext),
                                                static_cast<int>(plaintext.size())) == 1) &&
        EVP_EncryptFinal_ex(ctx.get(), ct + (plaintext.empty() ? 0 : len), &tail) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                            ct + plaintext.size()) == 1;
    if (!ok) detail::throw_openssl("AES-256-GCM seal");
    return base64_encode(raw);
}

std::optional<std::string> SealedBox::open(std::string_view sealed_b64,
                                           std::string_view associated_data) const {
    std::optional<std::string> raw = base64_decode(sealed_b64);
    if (!raw || raw->size() < kOverhead || raw->size() - kOverhead > kMaxPlaintext ||
        associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
        return std::nullopt;
    }
    // Later versions (key rotation, another cipher) get their own branch here.
    if (static_cast<unsigned char>((*raw)[0]) != kVersion) return std::nullopt;

    const std::size_t n = raw->size() - kOverhead;
    const unsigned char* nonce = detail::bytes(*raw) + 1;
    const unsigned char* ct = nonce + kNonceSize;
    // GCM's tag ctrl takes a non-const pointer although it only reads it.
    unsigned char tag[kTagSize];
    std::memcpy(tag, ct + n, kTagSize);

    std::string plain(n, '\0');
    detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    int tail = 0;
    const bool ok =
        ctx &&
        EVP_DecryptInit_ex2(ctx.get(), detail::cipher_aes256_gcm(), key_.data(), nonce, nullptr) ==
            1 &&
        (associated_data.empty() ||
         EVP_DecryptUpdate(ctx.get(), nullptr, &len, detail::bytes(associated_data),
                           static_cast<int>(associated_data.size())) == 1) &&
        (n == 0 ||
         EVP_DecryptUpdate(ctx.get(), detail::bytes(plain), &len, ct, static_cast<int>(n)) == 1) &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) ==
            1 &&
        EVP_DecryptFinal_ex(ctx.get(), detail::bytes(plain) + (n == 0 ? 0 : len), &tail) == 1;
    if (!ok) {
        // Unauthenticated plaintext must not linger in freed memory either.
        OPENSSL_cleanse(plain.data(), plain.size());
        detail::clear_errors();
        return std::nullopt;
    }
    return plain;
}

std::string SealedBox::lookup_hash(std::string_view value) const {
    return hex_lower(hmac_sha256(as_view(lookup_key_), value));
}

}  // namespace kayou::crypto
