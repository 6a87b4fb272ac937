#include "crypto/aes.hpp"

#include "crypto/detail/openssl.hpp"

namespace kayou::crypto {
namespace {

std::optional<std::string> run(bool encrypt, std::string_view key, std::string_view iv,
                               std::string_view data) {
    if (key.size() != 32 || iv.size() != 16 || data.size() % 16 != 0) return std::nullopt;
    std::string out(data.size(), '\0');
    if (!detail::aes256_cbc_nopad(encrypt, detail::bytes(key), detail::bytes(iv),
                                  detail::bytes(data), data.size(), detail::bytes(out))) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::optional<std::string> aes256_cbc_encrypt_nopad(std::string_view key, std::string_view iv,
                                                    std::string_view data) {
    return run(true, key, iv, data);
}

std::optional<std::string> aes256_cbc_decrypt_nopad(std::string_view key, std::string_view iv,
                                                    std::string_view data) {
    return run(false, key, iv, data);
}

}  // namespace kayou::crypto
