#include "crypto/wx_msg_crypt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "crypto/base64.hpp"
#include "crypto/detail/openssl.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace kayou::crypto {
namespace {

constexpr std::size_t kRandSize = 16;
constexpr std::size_t kLenSize = 4;
constexpr std::size_t kBlock = 32;  // the scheme's PKCS#7 block, not AES's 16

// Hashes the pieces in sorted order without concatenating them into a temporary.
std::string sorted_sha1_hex(std::string_view* parts, std::size_t count) {
    std::sort(parts, parts + count);  // string_view's < is byte-wise, as the scheme requires
    detail::MdCtx ctx(EVP_MD_CTX_new());
    unsigned char md[20];
    unsigned int len = 0;
    bool ok = ctx && EVP_DigestInit_ex2(ctx.get(), detail::md_sha1(), nullptr) == 1;
    for (std::size_t i = 0; ok && i < count; ++i) {
        ok = EVP_DigestUpdate(ctx.get(), parts[i].data(), parts[i].size()) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx.get(), md, &len) == 1 && len == sizeof md;
    if (!ok) detail::throw_openssl("SHA1");
    return hex_lower({reinterpret_cast<const char*>(md), sizeof md});
}

// The 16-byte prefix needs no secrecy (Tencent's samples use a non-cryptographic PRNG); it only
// stops equal replies from sharing a ciphertext under the scheme's fixed IV. Each RAND_bytes call
// costs a full DRBG round (OpenSSL 3 re-keys its CTR-DRBG after every request), about half of
// encrypt(), so prefixes are cut from a per-thread pool refilled 1 KiB at a time.
class PrefixPool {
public:
    void take16(char* out) {
        const pid_t pid = getpid();
        if (pos_ + kRandSize > sizeof buf_ || pid != pid_) {
            // Refilled after fork() too, so parent and child never hand out the same prefixes.
            const std::string fresh = random_alnum(sizeof buf_);
            std::memcpy(buf_, fresh.data(), sizeof buf_);
            pos_ = 0;
            pid_ = pid;
        }
        std::memcpy(out, buf_ + pos_, kRandSize);
        pos_ += kRandSize;
    }

private:
    char buf_[1024];
    std::size_t pos_ = sizeof buf_;
    pid_t pid_ = 0;
};

}  // namespace

std::string_view wx_error_name(WxError e) {
    switch (e) {
        case WxError::ok:
            return "ok";
        case WxError::validate_signature:
            return "validate_signature";
        case WxError::parse:
            return "parse";
        case WxError::compute_signature:
            return "compute_signature";
        case WxError::illegal_aes_key:
            return "illegal_aes_key";
        case WxError::validate_receive_id:
            return "validate_receive_id";
        case WxError::encrypt_aes:
            return "encrypt_aes";
        case WxError::decrypt_aes:
            return "decrypt_aes";
        case WxError::illegal_buffer:
            return "illegal_buffer";
        case WxError::encode_base64:
            return "encode_base64";
        case WxError::decode_base64:
            return "decode_base64";
        case WxError::gen_return:
            return "gen_return";
    }
    return "unknown";
}

std::string wx_plain_signature(std::string_view token, std::string_view timestamp,
                               std::string_view nonce) {
    std::string_view parts[] = {token, timestamp, nonce};
    return sorted_sha1_hex(parts, 3);
}

std::string wx_msg_signature(std::string_view token, std::string_view timestamp,
                             std::string_view nonce, std::string_view encrypt) {
    std::string_view parts[] = {token, timestamp, nonce, encrypt};
    return sorted_sha1_hex(parts, 4);
}

WxMsgCrypt::~WxMsgCrypt() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::optional<WxMsgCrypt> WxMsgCrypt::create(std::string token, std::string_view encoding_aes_key,
                                             std::string receive_id) {
    if (encoding_aes_key.size() != 43) return std::nullopt;
    std::string padded(encoding_aes_key);
    padded.push_back('=');
    std::optional<std::string> key = base64_decode(padded);
    if (!key || key->size() != 32) return std::nullopt;
    WxMsgCrypt crypt;
    crypt.token_ = std::move(token);
    crypt.receive_id_ = std::move(receive_id);
    std::memcpy(crypt.key_.data(), key->data(), 32);
    OPENSSL_cleanse(key->data(), key->size());
    return crypt;
}

bool WxMsgCrypt::verify(std::string_view timestamp, std::string_view nonce,
                        std::string_view encrypt, std::string_view msg_signature) const {
    return constant_time_equal(wx_msg_signature(token_, timestamp, nonce, encrypt), msg_signature);
}

WxMsgCrypt::Decrypted WxMsgCrypt::decrypt(std::string_view encrypt_b64) const {
    Decrypted result;
    std::optional<std::string> buf = base64_decode(encrypt_b64);
    if (!buf) {
        result.error = WxError::decode_base64;
        return result;
    }
    std::string& plain = *buf;
    if (plain.empty() || plain.size() % 16 != 0 ||
        !detail::aes256_cbc_nopad(false, key_.data(), key_.data(), detail::bytes(plain),
                                  plain.size(), detail::bytes(plain))) {
        result.error = WxError::decrypt_aes;
        return result;
    }

    // Only the last byte is checked, as in Tencent's samples: the payload was authenticated by
    // msg_signature already, and a stricter check could only reject what Tencent itself accepts.
    const std::size_t pad = static_cast<unsigned char>(plain.back());
    if (pad < 1 || pad > kBlock || pad > plain.size()) {
        result.error = WxError::illegal_buffer;
        return result;
    }
    const std::size_t end = plain.size() - pad;
    if (end < kRandSize + kLenSize) {
        result.error = WxError::illegal_buffer;
        return result;
    }
    const auto* len_bytes = detail::bytes(plain) + kRandSize;
    const std::size_t msg_len = (std::size_t{len_bytes[0]} << 24) |
                                (std::size_t{len_bytes[1]} << 16) |
                                (std::size_t{len_bytes[2]} << 8) | std::size_t{len_bytes[3]};
    const std::size_t msg_begin = kRandSize + kLenSize;
    // Written as a subtraction so a hostile 0xFFFFFFFF length cannot wrap the comparison.
    if (msg_len > end - msg_begin) {
        result.error = WxError::illegal_buffer;
        return result;
    }
    const std::size_t msg_end = msg_begin + msg_len;

    const std::string_view found_id(plain.data() + msg_end, end - msg_end);
    result.receive_id.assign(found_id);
    if (found_id != receive_id_) {
        result.error = WxError::validate_receive_id;
        return result;
    }
    // Reuse the decoded buffer for the message instead of allocating a copy.
    plain.resize(msg_end);
    plain.erase(0, msg_begin);
    result.message = std::move(plain);
    return result;
}

std::string WxMsgCrypt::encrypt(std::string_view message) const {
    thread_local PrefixPool pool;
    char rand16[kRandSize];
    pool.take16(rand16);
    return encrypt(message, std::string_view(rand16, kRandSize));
}

std::string WxMsgCrypt::encrypt(std::string_view message, std::string_view rand16) const {
    if (rand16.size() != kRandSize) {
        throw std::invalid_argument("WxMsgCrypt::encrypt: rand16 must be 16 bytes");
    }
    if (message.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("WxMsgCrypt::encrypt: message longer than 4 GiB");
    }
    const std::size_t body = kRandSize + kLenSize + message.size() + receive_id_.size();
    // Always 1..32: an already aligned body gets a whole block of 0x20.
    const std::size_t pad = kBlock - body % kBlock;
    std::string p(body + pad, static_cast<char>(pad));
    char* out = p.data();
    std::memcpy(out, rand16.data(), kRandSize);
    out += kRandSize;
    const auto n = static_cast<std::uint32_t>(message.size());
    out[0] = static_cast<char>(n >> 24);
    out[1] = static_cast<char>(n >> 16);
    out[2] = static_cast<char>(n >> 8);
    out[3] = static_cast<char>(n);
    out += kLenSize;
    if (!message.empty()) std::memcpy(out, message.data(), message.size());
    out += message.size();
    if (!receive_id_.empty()) std::memcpy(out, receive_id_.data(), receive_id_.size());

    if (!detail::aes256_cbc_nopad(true, key_.data(), key_.data(), detail::bytes(p), p.size(),
                                  detail::bytes(p))) {
        detail::throw_openssl("AES-256-CBC encrypt");
    }
    return base64_encode(p);
}

}  // namespace kayou::crypto
