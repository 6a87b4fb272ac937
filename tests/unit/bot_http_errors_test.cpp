// The one status table (bot/http_errors.hpp): "not now" is 503 with Retry-After, a bug is 500.
// Also the embedded Redis restart delays (bot/embedded_redis.hpp).
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "bot/embedded_redis.hpp"
#include "bot/http_errors.hpp"
#include "net/unavailable.hpp"
#include "redis/reply.hpp"

namespace kayou::bot {
namespace {

std::string header(const net::HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

TEST(HttpErrors, StatusTable) {
    using redis::Error;
    struct Row {
        const char* what;
        std::exception_ptr error;
        int status;
        const char* retry_after;
        bool bug;
    };
    const std::vector<Row> rows{
        {"conversation busy (dialogs/router_dialog.cpp)",
         std::make_exception_ptr(net::Unavailable("conversation busy")), 503, "1", false},
        {"lease lost, longer wait",
         std::make_exception_ptr(
             net::Unavailable("conversation lease lost", std::chrono::seconds(3))),
         503, "3", false},
        {"Redis down", std::make_exception_ptr(Error(Error::Kind::not_connected, "x")), 503, "1",
         false},
        {"Redis timeout", std::make_exception_ptr(Error(Error::Kind::timeout, "x")), 503, "1",
         false},
        {"connection lost mid-command",
         std::make_exception_ptr(Error(Error::Kind::disconnected, "x")), 503, "1", false},
        {"Redis loading its AOF",
         std::make_exception_ptr(Error(Error::Kind::protocol, "LOADING Redis is loading")), 503,
         "1", false},
        {"a store's error with Redis' answer inside",
         std::make_exception_ptr(std::runtime_error(
             "application submit failed: LOADING Redis is loading the dataset in memory")),
         503, "1", false},
        {"script bug", std::make_exception_ptr(Error(Error::Kind::protocol, "ERR user_script:1")),
         500, "", true},
        {"a word that only contains OOM is no Redis answer",
         std::make_exception_ptr(std::runtime_error("BOOM")), 500, "", true},
        {"logic error", std::make_exception_ptr(std::logic_error("bug")), 500, "", true},
        {"not even an exception", std::make_exception_ptr(42), 500, "", true},
    };
    for (const auto& row : rows) {
        const auto verdict = classify_exception(row.error);
        EXPECT_EQ(verdict.response.status, row.status) << row.what;
        EXPECT_EQ(header(verdict.response, "Retry-After"), row.retry_after) << row.what;
        EXPECT_EQ(verdict.bug, row.bug) << row.what;
        EXPECT_EQ(verdict.response.content_type.rfind("application/json", 0), 0u) << row.what;
    }
    EXPECT_EQ(classify_exception(std::make_exception_ptr(net::Unavailable("conversation busy")))
                  .response.body,
              R"({"error":"conversation busy"})");
}

TEST(EmbeddedRedis, RestartDelays) {
    using std::chrono::milliseconds;
    const std::vector<std::pair<int, milliseconds>> rows{
        {1, milliseconds(0)},    {2, milliseconds(250)},  {3, milliseconds(500)},
        {4, milliseconds(1000)}, {5, milliseconds(2000)}, {6, milliseconds(4000)},
        {7, milliseconds(5000)}, {50, milliseconds(5000)}};
    for (const auto& [failures, delay] : rows)
        EXPECT_EQ(embedded_redis_restart_delay(failures), delay) << failures;
}

}  // namespace
}  // namespace kayou::bot
