#pragma once
// Personal data at rest (ID number, name, phone): AES-256-GCM under one configured key.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::crypto {

// Immutable after construction: const members may be called from any number of threads at once.
class SealedBox {
public:
    static constexpr unsigned char kVersion = 0x01;
    static constexpr std::size_t kKeySize = 32;
    static constexpr std::size_t kNonceSize = 12;
    static constexpr std::size_t kTagSize = 16;

    // nullopt unless the key is exactly 32 bytes.
    static std::optional<SealedBox> from_key(std::string_view key32);
    // The config file carries the key as standard base64 (44 characters).
    static std::optional<SealedBox> from_base64_key(std::string_view b64);

    SealedBox(const SealedBox&) = default;
    SealedBox& operator=(const SealedBox&) = default;
    ~SealedBox();  // wipes the key material

    // base64(version 0x01 || 12-byte random nonce || ciphertext || 16-byte tag). The associated
    // data is authenticated, not stored: pass something that binds the value to its place (e.g.
    // "member:<id>:phone") so a ciphertext copied into another record fails to open.
    // Throws std::runtime_error only if OpenSSL itself fails.
    std::string seal(std::string_view plaintext, std::string_view associated_data = {}) const;

    // nullopt on bad base64, unknown version, truncation, any flipped bit, wrong key or wrong
    // associated data: the caller cannot tell which, by design.
    std::optional<std::string> open(std::string_view sealed_b64,
                                    std::string_view associated_data = {}) const;

    // Deterministic 64-hex-char HMAC-SHA256 of value under a sub-key derived as
    // HMAC-SHA256(key, "kayou-lookup-v1"), so equal values can be found ("one application per ID
    // number") without storing them and the encryption key is never used as a MAC key.
    // Normalise first (trim, upper-case an ID number's X): different bytes, different hash.
    std::string lookup_hash(std::string_view value) const;

private:
    SealedBox() = default;
    // Tests need byte-for-byte output; production code must never choose a GCM nonce.
    friend struct SealedBoxTestAccess;
    std::string seal_with_nonce(std::string_view plaintext, std::string_view nonce12,
                                std::string_view associated_data) const;

    std::array<unsigned char, kKeySize> key_{};
    std::array<unsigned char, 32> lookup_key_{};
};

}  // namespace kayou::crypto
