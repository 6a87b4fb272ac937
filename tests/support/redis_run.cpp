#include "tests/support/redis_run.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "tests/support/redis_server.hpp"

namespace kayou::test {

namespace asio = boost::asio;

void run_with_redis(
    const std::function<asio::awaitable<void>(std::shared_ptr<redis::Client>)>& body,
    std::chrono::seconds deadline) {
    asio::io_context ioc;
    redis::Config config;
    config.port = RedisServer::shared().port();
    auto client = redis::Client::create(ioc.get_executor(), config);
    client->start();
    bool done = false;
    std::exception_ptr error;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            EXPECT_TRUE(co_await client->wait_connected(std::chrono::seconds(5)));
            co_await body(client);
        },
        [&](std::exception_ptr e) {
            done = true;
            error = e;
            client->stop();
        });
    ioc.run_for(deadline);
    ASSERT_TRUE(done) << "the test coroutine did not finish before its deadline";
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            FAIL() << "threw: " << e.what();
        }
    }
}

std::string unique_name(const std::string& prefix) {
    static int counter = 0;
    return prefix + std::to_string(::getpid()) + "_" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" +
           std::to_string(++counter);
}

}  // namespace kayou::test
