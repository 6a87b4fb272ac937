#include <gtest/gtest.h>

#include <string>

#include "crypto/aes.hpp"
#include "crypto/base64.hpp"
#include "crypto/hash.hpp"
#include "crypto/sealed_box.hpp"

namespace kayou::crypto {
// Reaches SealedBox's private fixed-nonce seal, which exists only for vectors like these.
struct SealedBoxTestAccess {
    static std::string seal_with_nonce(const SealedBox& box, std::string_view plaintext,
                                       std::string_view nonce, std::string_view aad) {
        return box.seal_with_nonce(plaintext, nonce, aad);
    }
};
}  // namespace kayou::crypto

namespace {

using namespace kayou::crypto;

std::string h(std::string_view hex) {
    auto raw = hex_decode(hex);
    EXPECT_TRUE(raw.has_value()) << hex;
    return raw.value_or("");
}

// ---- AES-256-CBC, no padding: NIST SP 800-38A F.2.5 (encrypt) and F.2.6 (decrypt) ----

const std::string kCbcKey = h("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const std::string kCbcIv = h("000102030405060708090a0b0c0d0e0f");
const std::string kCbcPlain =
    h("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
const std::string kCbcCipher =
    h("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b");

TEST(Aes256Cbc, NistEncrypt) {
    const auto out = aes256_cbc_encrypt_nopad(kCbcKey, kCbcIv, kCbcPlain);
    ASSERT_TRUE(out.has_value());
    // Exactly 64 bytes: with padding enabled OpenSSL would append a 65th..80th byte block.
    EXPECT_EQ(hex_lower(*out), hex_lower(kCbcCipher));
}

TEST(Aes256Cbc, NistDecrypt) {
    const auto out = aes256_cbc_decrypt_nopad(kCbcKey, kCbcIv, kCbcCipher);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(hex_lower(*out), hex_lower(kCbcPlain));
}

TEST(Aes256Cbc, DecryptKeepsWhatLooksLikePadding) {
    // Last byte 0x10 is valid 16-byte PKCS#7; a padding-enabled decrypt would strip a block.
    const std::string plain = std::string(16, 'A') + std::string(16, '\x10');
    const auto enc = aes256_cbc_encrypt_nopad(kCbcKey, kCbcIv, plain);
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(aes256_cbc_decrypt_nopad(kCbcKey, kCbcIv, *enc), plain);
}

TEST(Aes256Cbc, RejectsBadSizes) {
    EXPECT_FALSE(aes256_cbc_encrypt_nopad(kCbcKey.substr(0, 31), kCbcIv, kCbcPlain).has_value());
    EXPECT_FALSE(aes256_cbc_encrypt_nopad(kCbcKey + "x", kCbcIv, kCbcPlain).has_value());
    EXPECT_FALSE(aes256_cbc_encrypt_nopad(kCbcKey, kCbcIv.substr(0, 15), kCbcPlain).has_value());
    EXPECT_FALSE(aes256_cbc_encrypt_nopad(kCbcKey, kCbcIv, kCbcPlain.substr(0, 17)).has_value());
    EXPECT_FALSE(aes256_cbc_decrypt_nopad(kCbcKey, kCbcIv, kCbcCipher.substr(0, 63)).has_value());
    EXPECT_FALSE(aes256_cbc_decrypt_nopad(kCbcKey, "", kCbcCipher).has_value());
}

TEST(Aes256Cbc, EmptyDataIsEmpty) {
    EXPECT_EQ(aes256_cbc_encrypt_nopad(kCbcKey, kCbcIv, ""), std::string());
    EXPECT_EQ(aes256_cbc_decrypt_nopad(kCbcKey, kCbcIv, ""), std::string());
}

// ---- SealedBox (AES-256-GCM) ----

// McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B, test cases 13, 15, 16.
const std::string kGcmKey = h("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const std::string kGcmNonce = h("cafebabefacedbaddecaf888");
const std::string kGcmAad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
const std::string kGcmPlain64 =
    h("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
const std::string kGcmCipher64 =
    h("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad");

SealedBox box_for(std::string_view key) {
    auto box = SealedBox::from_key(key);
    EXPECT_TRUE(box.has_value());
    return *box;
}

std::string expected_sealed(std::string_view nonce, std::string_view ct, std::string_view tag) {
    return base64_encode(std::string(1, '\x01') + std::string(nonce) + std::string(ct) +
                         std::string(tag));
}

TEST(SealedBox, GcmSpecTestCase16WithAad) {
    const SealedBox box = box_for(kGcmKey);
    const std::string plain = kGcmPlain64.substr(0, 60);
    const std::string sealed = SealedBoxTestAccess::seal_with_nonce(box, plain, kGcmNonce, kGcmAad);
    EXPECT_EQ(sealed, expected_sealed(kGcmNonce, kGcmCipher64.substr(0, 60),
                                      h("76fc6ece0f4e1768cddf8853bb2d551b")));
    EXPECT_EQ(box.open(sealed, kGcmAad), plain);
}

TEST(SealedBox, GcmSpecTestCase15WithoutAad) {
    const SealedBox box = box_for(kGcmKey);
    const std::string sealed =
        SealedBoxTestAccess::seal_with_nonce(box, kGcmPlain64, kGcmNonce, "");
    EXPECT_EQ(sealed,
              expected_sealed(kGcmNonce, kGcmCipher64, h("b094dac5d93471bdec1a502270e3cc6c")));
    EXPECT_EQ(box.open(sealed), kGcmPlain64);
}

TEST(SealedBox, GcmSpecTestCase13EmptyPlaintext) {
    const SealedBox box = box_for(std::string(32, '\0'));
    const std::string nonce(12, '\0');
    const std::string sealed = SealedBoxTestAccess::seal_with_nonce(box, "", nonce, "");
    EXPECT_EQ(sealed, expected_sealed(nonce, "", h("530f8afbc74536b9a963b4f1c4cb738b")));
    EXPECT_EQ(box.open(sealed), std::string());
}

TEST(SealedBox, SealWithNonceRejectsWrongNonceSize) {
    const SealedBox box = box_for(kGcmKey);
    EXPECT_THROW(SealedBoxTestAccess::seal_with_nonce(box, "x", "short", ""),
                 std::invalid_argument);
}

TEST(SealedBox, AnySingleBitFlipIsRejected) {
    const SealedBox box = box_for(kGcmKey);
    const std::string sealed =
        SealedBoxTestAccess::seal_with_nonce(box, kGcmPlain64.substr(0, 60), kGcmNonce, kGcmAad);
    const std::string raw = *base64_decode(sealed);
    ASSERT_EQ(raw.size(), 1u + 12u + 60u + 16u);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string tampered = raw;
            tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
            EXPECT_FALSE(box.open(base64_encode(tampered), kGcmAad).has_value())
                << "byte " << i << " bit " << bit;
        }
    }
}

TEST(SealedBox, TruncationAndGarbageAreRejected) {
    const SealedBox box = box_for(kGcmKey);
    const std::string raw = *base64_decode(box.seal("13812345678"));
    for (std::size_t len = 0; len < raw.size(); ++len) {
        EXPECT_FALSE(box.open(base64_encode(raw.substr(0, len))).has_value()) << len;
    }
    EXPECT_FALSE(box.open(base64_encode(raw + "x")).has_value());
    EXPECT_FALSE(box.open("").has_value());
    EXPECT_FALSE(box.open("not base64!").has_value());
    EXPECT_FALSE(box.open(base64_encode(raw) + "\n").has_value());
}

TEST(SealedBox, VersionByteIsChecked) {
    const SealedBox box = box_for(kGcmKey);
    std::string raw = *base64_decode(box.seal("张三"));
    ASSERT_EQ(static_cast<unsigned char>(raw[0]), 0x01);
    for (int v : {0x00, 0x02, 0x81, 0xff}) {
        raw[0] = static_cast<char>(v);
        EXPECT_FALSE(box.open(base64_encode(raw)).has_value()) << v;
    }
    raw[0] = 0x01;
    EXPECT_EQ(box.open(base64_encode(raw)), "张三");
}

TEST(SealedBox, WrongAadIsRejected) {
    const SealedBox box = box_for(kGcmKey);
    const std::string sealed = box.seal("320102199001011234", "member:42:id_number");
    EXPECT_EQ(box.open(sealed, "member:42:id_number"), "320102199001011234");
    EXPECT_FALSE(box.open(sealed, "member:43:id_number").has_value());
    EXPECT_FALSE(box.open(sealed, "").has_value());
    EXPECT_FALSE(box.open(box.seal("x"), "member:42:id_number").has_value());
}

TEST(SealedBox, WrongKeyIsRejected) {
    const SealedBox box = box_for(kGcmKey);
    std::string other_key = kGcmKey;
    other_key[31] = static_cast<char>(other_key[31] ^ 1);
    const SealedBox other = box_for(other_key);
    const std::string sealed = box.seal("13812345678");
    EXPECT_FALSE(other.open(sealed).has_value());
    EXPECT_EQ(box.open(sealed), "13812345678");
}

TEST(SealedBox, RoundTripChineseTextWithFreshNonces) {
    const SealedBox box = box_for(kGcmKey);
    const std::string name = "欧阳娜娜·阿卜杜热依木 🚚";
    const std::string a = box.seal(name, "aad");
    const std::string b = box.seal(name, "aad");
    EXPECT_NE(a, b);  // a repeated nonce under one key would break GCM outright
    EXPECT_EQ(
        a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
        std::string::npos);
    EXPECT_EQ(box.open(a, "aad"), name);
    EXPECT_EQ(box.open(b, "aad"), name);
    EXPECT_EQ(base64_decode(a)->size(), 1 + 12 + name.size() + 16);
}

TEST(SealedBox, KeyValidation) {
    EXPECT_FALSE(SealedBox::from_key(std::string(31, 'k')).has_value());
    EXPECT_FALSE(SealedBox::from_key(std::string(33, 'k')).has_value());
    EXPECT_FALSE(SealedBox::from_key("").has_value());
    EXPECT_FALSE(SealedBox::from_base64_key(base64_encode(std::string(16, 'k'))).has_value());
    EXPECT_FALSE(SealedBox::from_base64_key("not base64").has_value());
    EXPECT_FALSE(SealedBox::from_base64_key(base64_encode(kGcmKey) + " ").has_value());

    const auto from_b64 = SealedBox::from_base64_key(base64_encode(kGcmKey));
    ASSERT_TRUE(from_b64.has_value());
    // Same key either way: each opens what the other sealed.
    EXPECT_EQ(box_for(kGcmKey).open(from_b64->seal("x")), "x");
    EXPECT_EQ(from_b64->open(box_for(kGcmKey).seal("y")), "y");
}

TEST(SealedBox, LookupHashIsStableKeyedAndPinned) {
    std::string key;
    for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
    const SealedBox box = box_for(key);
    const std::string id = "110101199003074514";
    const std::string hash = box.lookup_hash(id);

    // Stored hashes must survive upgrades, so the derivation is pinned: HMAC-SHA256 under
    // HMAC-SHA256(key, "kayou-lookup-v1"), computed here independently and by Python's hmac.
    EXPECT_EQ(hash, hex_lower(hmac_sha256(hmac_sha256(key, "kayou-lookup-v1"), id)));
    EXPECT_EQ(hash, "a2a2313f90ddfc16f0c2351c1917d4409b7448f1d58fb1bead7be81d8873d6d0");
    // The encryption key itself is not the MAC key.
    EXPECT_NE(hash, hex_lower(hmac_sha256(key, id)));

    EXPECT_EQ(box.lookup_hash(id), hash);
    EXPECT_EQ(box_for(key).lookup_hash(id), hash);
    EXPECT_NE(box.lookup_hash("110101199003074515"), hash);
    std::string other_key = key;
    other_key[0] = 'x';
    EXPECT_NE(box_for(other_key).lookup_hash(id), hash);
    EXPECT_EQ(hash.size(), 64u);
}

TEST(SealedBox, CopiesShareTheKey) {
    const SealedBox box = box_for(kGcmKey);
    SealedBox copy = box;
    EXPECT_EQ(copy.open(box.seal("x")), "x");
    copy = box_for(std::string(32, 'z'));
    EXPECT_FALSE(copy.open(box.seal("x")).has_value());
}

}  // namespace
