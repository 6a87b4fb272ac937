#include <gtest/gtest.h>

#include <string>

#include "crypto/hash.hpp"

namespace {

using namespace kayou::crypto;

const std::string kAbc = "abc";
const std::string k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

std::string from_hex(std::string_view hex) {
    auto raw = hex_decode(hex);
    EXPECT_TRUE(raw.has_value()) << hex;
    return raw.value_or("");
}

// FIPS 180-2 Appendix A/B examples.
TEST(Sha1, FipsVectors) {
    EXPECT_EQ(sha1_hex(kAbc), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(sha1_hex(k448), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha256, FipsVectors) {
    EXPECT_EQ(sha256_hex(kAbc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex(k448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha, RawOutputIsBinaryOfHex) {
    EXPECT_EQ(sha1(kAbc).size(), 20u);
    EXPECT_EQ(sha256(kAbc).size(), 32u);
    EXPECT_EQ(hex_lower(sha1(kAbc)), sha1_hex(kAbc));
    EXPECT_EQ(hex_lower(sha256(kAbc)), sha256_hex(kAbc));
}

TEST(Sha, EmbeddedNulBytesAreHashed) {
    const std::string with_nul("a\0b", 3);
    EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
    EXPECT_NE(sha256_hex(with_nul), sha256_hex(std::string("a\0c", 3)));
}

struct HmacCase {
    std::string key;
    std::string data;
    const char* expected;
};

const std::string kKey4 = from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819");

// RFC 2202 §3, test cases 1-4, 6, 7.
TEST(HmacSha1, Rfc2202) {
    const HmacCase cases[] = {
        {std::string(20, '\x0b'), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
        {"Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {std::string(20, '\xaa'), std::string(50, '\xdd'),
         "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {kKey4, std::string(50, '\xcd'), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {std::string(80, '\xaa'),
         "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
    };
    for (const auto& c : cases) {
        const std::string mac = hmac_sha1(c.key, c.data);
        EXPECT_EQ(mac.size(), 20u);
        EXPECT_EQ(hex_lower(mac), c.expected) << c.data;
    }
}

// RFC 4231 §4, test cases 1-4, 6, 7 (case 5 is truncated output, which we never produce).
TEST(HmacSha256, Rfc4231) {
    const HmacCase cases[] = {
        {std::string(20, '\x0b'), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {std::string(20, '\xaa'), std::string(50, '\xdd'),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {kKey4, std::string(50, '\xcd'),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {std::string(131, '\xaa'),
         "This is a test using a larger than block-size key and a larger than block-size data. "
         "The key needs to be hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (const auto& c : cases) {
        const std::string mac = hmac_sha256(c.key, c.data);
        EXPECT_EQ(mac.size(), 32u);
        EXPECT_EQ(hex_lower(mac), c.expected) << c.data;
    }
}

TEST(HmacSha256, EmptyKeyAndDataAreLegal) {
    // The value listed for HMAC_SHA256("", "") on Wikipedia's HMAC page.
    EXPECT_EQ(hex_lower(hmac_sha256("", "")),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256, RepeatedCallsDoNotShareState) {
    const std::string first = hmac_sha256("k1", "data");
    EXPECT_NE(hmac_sha256("k2", "data"), first);
    EXPECT_EQ(hmac_sha256("k1", "data"), first);
}

TEST(Hex, LowerCaseEncoding) {
    EXPECT_EQ(hex_lower(""), "");
    EXPECT_EQ(hex_lower(std::string("\x00\x01\x7f\x80\xab\xff", 6)), "00017f80abff");
}

TEST(Hex, RoundTripAllByteValues) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    const std::string hex = hex_lower(all);
    ASSERT_EQ(hex.size(), 512u);
    EXPECT_EQ(hex_decode(hex), all);
}

TEST(Hex, DecodeAcceptsUpperCase) {
    EXPECT_EQ(hex_decode("ABcdEF"), std::string("\xab\xcd\xef"));
    EXPECT_EQ(hex_decode(""), std::string());
}

TEST(Hex, DecodeRejectsMalformed) {
    EXPECT_FALSE(hex_decode("abc").has_value());  // odd length
    EXPECT_FALSE(hex_decode("0g").has_value());   // not a hex digit
    EXPECT_FALSE(hex_decode("g0").has_value());
    EXPECT_FALSE(hex_decode(" 0").has_value());
    EXPECT_FALSE(hex_decode("0x00").has_value());
    EXPECT_FALSE(hex_decode(std::string("0\0", 2)).has_value());
}

TEST(ConstantTimeEqual, Basics) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "bbc"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    EXPECT_FALSE(constant_time_equal("ab", "abc"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
