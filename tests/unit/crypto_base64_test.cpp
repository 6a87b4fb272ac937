#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>

#include "crypto/base64.hpp"

namespace {

using kayou::crypto::base64_decode;
using kayou::crypto::base64_encode;

// OpenSSL's encoder as an independent oracle, so a bug shared by our encoder and decoder cannot
// hide behind a round trip.
std::string openssl_encode(const std::string& in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// RFC 4648 §10.
TEST(Base64, Rfc4648Vectors) {
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(plain), encoded);
        EXPECT_EQ(base64_decode(encoded), plain) << encoded;
    }
}

TEST(Base64, WholeAlphabetAndHighBytes) {
    EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
    EXPECT_EQ(base64_decode("+/+/"), std::string("\xfb\xff\xbf", 3));
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto decoded = base64_decode(alphabet);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->size(), 48u);
    EXPECT_EQ(base64_encode(*decoded), alphabet);
}

TEST(Base64, BinaryRoundTripLengths0To100) {
    std::mt19937 rng(20240607);
    std::uniform_int_distribution<int> byte(0, 255);
    for (std::size_t len = 0; len <= 100; ++len) {
        std::string data;
        for (std::size_t i = 0; i < len; ++i) data.push_back(static_cast<char>(byte(rng)));
        const std::string encoded = base64_encode(data);
        EXPECT_EQ(encoded, openssl_encode(data)) << "len " << len;
        EXPECT_EQ(encoded.size(), 4 * ((len + 2) / 3));
        EXPECT_EQ(encoded.find('\n'), std::string::npos);
        const auto decoded = base64_decode(encoded);
        ASSERT_TRUE(decoded.has_value()) << "len " << len;
        EXPECT_EQ(*decoded, data) << "len " << len;
    }
}

TEST(Base64, RejectsBadLength) {
    for (const char* bad : {"Z", "Zg", "Zg=", "Zm9vY", "Zm9vYg=", "Zm9vYg==="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

TEST(Base64, RejectsCharactersOutsideTheStandardAlphabet) {
    for (const char* bad : {"Zm9v!A==", "Zm9-", "Zm9_", "Zm9.", "Zm,v", "Zg#="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
    EXPECT_FALSE(base64_decode(std::string("Zm9\0", 4)).has_value());
    EXPECT_FALSE(base64_decode("Zm9\xc3").has_value());
}

TEST(Base64, RejectsWhitespace) {
    for (const char* bad : {"Zm9v YQ==", "Zm9vYg==\n", "Zm9v\r\nYQ==", " Zm9", "Zm9\t", "\nZg="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

TEST(Base64, RejectsMisplacedPadding) {
    for (const char* bad :
         {"====", "Z===", "=Zg=", "==Zg", "Zg==Zg==", "Zm=v", "Zm9v=Zg=", "Z=g=", "Zm9v===="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

TEST(Base64, IgnoresUnusedBitsOfTheLastCharacter) {
    // "Zh==" and "Zm9=" are non-canonical spellings of "f" and "fo"; accepted on purpose, see
    // base64.hpp (Tencent's sample AES key relies on it).
    EXPECT_EQ(base64_decode("Zh=="), "f");
    EXPECT_EQ(base64_decode("Zm9="), "fo");
}

}  // namespace
