#pragma once
// Tencent's WXBizMsgCrypt scheme, shared by the WeChat Official Account (safe mode), WeCom apps
// and the WeCom smart robot. Vectors in tests/unit/crypto_wx_msg_crypt_test.cpp; error codes mirror
// Tencent's samples so log lines can be matched against WeCom console messages.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::crypto {

enum class WxError {
    ok = 0,
    validate_signature = -40001,
    parse = -40002,
    compute_signature = -40003,
    illegal_aes_key = -40004,
    validate_receive_id = -40005,
    encrypt_aes = -40006,
    decrypt_aes = -40007,
    illegal_buffer = -40008,
    encode_base64 = -40009,
    decode_base64 = -40010,
    gen_return = -40011,
};

// The enumerator's name, e.g. "validate_receive_id"; "unknown" for values outside the enum.
std::string_view wx_error_name(WxError);

// OA URL check and plaintext pushes: hex SHA1 of the byte-wise sorted concatenation of the three.
std::string wx_plain_signature(std::string_view token, std::string_view timestamp,
                               std::string_view nonce);
// Every encrypted payload: the same over four strings; encrypt is the base64 text as received.
std::string wx_msg_signature(std::string_view token, std::string_view timestamp,
                             std::string_view nonce, std::string_view encrypt);

// Immutable after create(): const members may be called from any number of threads at once.
class WxMsgCrypt {
public:
    // nullopt if encoding_aes_key is not 43 chars or does not decode (with "=" appended) to
    // 32 bytes. receive_id: OA AppID, WeCom CorpID, "" for the WeCom smart robot.
    static std::optional<WxMsgCrypt> create(std::string token, std::string_view encoding_aes_key,
                                            std::string receive_id);

    WxMsgCrypt(const WxMsgCrypt&) = default;
    WxMsgCrypt& operator=(const WxMsgCrypt&) = default;
    WxMsgCrypt(WxMsgCrypt&&) = default;
    WxMsgCrypt& operator=(WxMsgCrypt&&) = default;
    ~WxMsgCrypt();  // wipes the AES key

    const std::string& token() const { return token_; }
    const std::string& receive_id() const { return receive_id_; }

    // Constant-time check of msg_signature over (token, timestamp, nonce, encrypt). Expects the
    // lowercase hex WeChat sends. Call it before decrypt(): the cipher itself is unauthenticated.
    bool verify(std::string_view timestamp, std::string_view nonce, std::string_view encrypt,
                std::string_view msg_signature) const;

    struct Decrypted {
        WxError error = WxError::ok;
        std::string message;     // set only when error == ok
        std::string receive_id;  // the id found in the plaintext: set on ok and on
                                 // validate_receive_id, so a misconfigured id can be diagnosed
    };
    // decode_base64 on bad base64; decrypt_aes if the ciphertext is empty or not whole blocks;
    // illegal_buffer on a pad outside 1..32 or a length field that overruns the plaintext;
    // validate_receive_id if the trailer differs from the configured receive_id.
    Decrypted decrypt(std::string_view encrypt_b64) const;

    // base64 ciphertext of rand16 || be32(len) || message || receive_id, padded to 32.
    // The first uses 16 fresh random alphanumerics, like Tencent's samples. Throw
    // std::invalid_argument if rand16 is not 16 bytes, std::length_error above 4 GiB,
    // std::runtime_error if OpenSSL fails.
    std::string encrypt(std::string_view message) const;
    std::string encrypt(std::string_view message, std::string_view rand16) const;

private:
    WxMsgCrypt() = default;

    std::string token_;
    std::string receive_id_;
    std::array<unsigned char, 32> key_{};  // IV is key_[0..16), fixed by the scheme
};

}  // namespace kayou::crypto
