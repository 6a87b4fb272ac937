#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/random.hpp"

namespace {

using kayou::crypto::random_alnum;
using kayou::crypto::random_bytes;

TEST(RandomBytes, Length) {
    EXPECT_EQ(random_bytes(0).size(), 0u);
    EXPECT_EQ(random_bytes(1).size(), 1u);
    EXPECT_EQ(random_bytes(16).size(), 16u);
    EXPECT_EQ(random_bytes(100000).size(), 100000u);
}

TEST(RandomBytes, CallsDiffer) {
    // Two equal 32-byte draws have probability 2^-256; equality means a broken generator.
    EXPECT_NE(random_bytes(32), random_bytes(32));
}

TEST(RandomBytes, NotAllZero) {
    const std::string b = random_bytes(64);
    EXPECT_NE(b, std::string(64, '\0'));
}

TEST(RandomAlnum, LengthAndCharset) {
    for (std::size_t n : {0u, 1u, 16u, 63u, 64u, 65u, 1000u}) {
        const std::string s = random_alnum(n);
        ASSERT_EQ(s.size(), n);
        for (char c : s) {
            const bool alnum =
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            EXPECT_TRUE(alnum) << static_cast<int>(c);
        }
    }
}

TEST(RandomAlnum, UsesAllSixtyTwoCharacters) {
    // A mapping bug that drops characters (e.g. digits) leaves some unseen; with 20000 fair
    // draws the chance of missing any one honest character is about 62 * e^-322.
    const std::string s = random_alnum(20000);
    const std::set<char> seen(s.begin(), s.end());
    EXPECT_EQ(seen.size(), 62u);
}

TEST(RandomAlnum, CallsDiffer) { EXPECT_NE(random_alnum(32), random_alnum(32)); }

}  // namespace
