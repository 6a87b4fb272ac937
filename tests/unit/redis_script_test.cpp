// Pure parts of kayou_redis: script digests, Reply helpers, Error kinds (no I/O).
#include <gtest/gtest.h>

#include "redis/reply.hpp"
#include "redis/script.hpp"

namespace {

using kayou::redis::Error;
using kayou::redis::Reply;
using kayou::redis::Script;

TEST(RedisScript, Sha1MatchesKnownVectors) {
    EXPECT_EQ(kayou::redis::sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(kayou::redis::sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(RedisScript, Sha1IsWhatRedisNamesTheScript) {
    // `SCRIPT LOAD "return 1"` answers this digest.
    const Script script("return 1");
    EXPECT_EQ(script.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    EXPECT_EQ(script.source(), "return 1");
}

TEST(RedisReply, Helpers) {
    Reply nil;
    EXPECT_TRUE(nil.is_nil());
    EXPECT_TRUE(nil.ok());
    Reply error{Reply::Type::error, "NOSCRIPT No matching script"};
    EXPECT_TRUE(error.is_error());
    EXPECT_FALSE(error.ok());
    Reply status{Reply::Type::status, "OK"};
    EXPECT_TRUE(status.is_status("OK"));
    EXPECT_FALSE(status.is_status("QUEUED"));
    Reply string{Reply::Type::string, "OK"};
    EXPECT_FALSE(string.is_status("OK"));  // a bulk string "OK" is not the status +OK
}

TEST(RedisError, KindAndMessage) {
    const Error timeout(Error::Kind::timeout);
    EXPECT_EQ(timeout.kind(), Error::Kind::timeout);
    EXPECT_STREQ(timeout.what(), "redis: command timed out");
    const Error custom(Error::Kind::disconnected, "redis: connection lost");
    EXPECT_EQ(custom.kind(), Error::Kind::disconnected);
    EXPECT_STREQ(custom.what(), "redis: connection lost");
}

}  // namespace
