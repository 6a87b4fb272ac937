// The RedisServer test helper itself: start/stop/kill -9/restart, data dir, AOF durability.
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <string>

namespace {

using kayou::test::RedisServer;

TEST(RedisServerHelper, StartsOnAFreePortAndAnswers) {
    RedisServer server;
    EXPECT_TRUE(server.running());
    EXPECT_GT(server.port(), 0);
    EXPECT_EQ(server.command("PING"), "+PONG\r\n");
    EXPECT_TRUE(std::filesystem::exists(server.dir()));
    EXPECT_EQ(server.command("CONFIG GET appendonly"), "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
}

TEST(RedisServerHelper, StopAndDestructorCleanUp) {
    std::string dir;
    {
        RedisServer server;
        dir = server.dir();
        const pid_t pid = server.pid();
        server.stop();
        EXPECT_FALSE(server.running());
        EXPECT_NE(::kill(pid, 0), 0) << "the child was not reaped";
        EXPECT_EQ(server.command("PING"), "");
    }
    EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(RedisServerHelper, Kill9AndRestartKeepPortAndDir) {
    RedisServer server;
    const auto port = server.port();
    const auto dir = server.dir();
    server.kill9();
    EXPECT_FALSE(server.running());
    EXPECT_EQ(server.command("PING"), "");
    server.start();
    EXPECT_EQ(server.port(), port);
    EXPECT_EQ(server.dir(), dir);
    EXPECT_EQ(server.command("PING"), "+PONG\r\n");
    server.restart();
    EXPECT_EQ(server.command("PING"), "+PONG\r\n");
}

TEST(RedisServerHelper, AofSurvivesKill9) {
    RedisServer server({.aof = true, .appendfsync = "always"});
    EXPECT_EQ(server.command("SET durable yes"), "+OK\r\n");
    server.kill9();
    server.start();
    EXPECT_EQ(server.command("GET durable"), "$3\r\nyes\r\n");
}

TEST(RedisServerHelper, WithoutAofDataIsGoneAfterKill9) {
    RedisServer server;
    EXPECT_EQ(server.command("SET volatile yes"), "+OK\r\n");
    server.kill9();
    server.start();
    EXPECT_EQ(server.command("GET volatile"), "$-1\r\n");
}

TEST(RedisServerHelper, NotStartedUntilAsked) {
    RedisServer server({.start = false});
    EXPECT_FALSE(server.running());
    EXPECT_EQ(server.command("PING", 200), "");
    server.start();
    EXPECT_EQ(server.command("PING"), "+PONG\r\n");
}

TEST(RedisServerHelper, SharedIsOneServer) {
    RedisServer& a = RedisServer::shared();
    RedisServer& b = RedisServer::shared();
    EXPECT_EQ(&a, &b);
    EXPECT_EQ(a.command("PING"), "+PONG\r\n");
}

}  // namespace
