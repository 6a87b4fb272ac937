#pragma once
// Raw AES-256-CBC with padding disabled: the WeChat scheme pads to 32 bytes itself, and OpenSSL's
// built-in PKCS#7 (16-byte blocks) would both add and strip the wrong amount.

#include <optional>
#include <string>
#include <string_view>

namespace kayou::crypto {

// key 32 bytes, iv 16 bytes, data a multiple of 16 (empty is allowed and yields empty);
// anything else gives nullopt.
std::optional<std::string> aes256_cbc_encrypt_nopad(std::string_view key, std::string_view iv,
                                                    std::string_view data);
std::optional<std::string> aes256_cbc_decrypt_nopad(std::string_view key, std::string_view iv,
                                                    std::string_view data);

}  // namespace kayou::crypto
