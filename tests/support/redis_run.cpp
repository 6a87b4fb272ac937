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
    const redis::Config config = RedisServer::shared().client_config();
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

asio::awaitable<std::vector<std::string>> keys_on_every_primary(
    std::shared_ptr<redis::Client> client, std::string pattern) {
    std::vector<std::string> keys;
    const auto nodes = client->primaries();
    for (const auto& node : nodes) {
        std::vector<std::string> command;
        command.emplace_back("KEYS");
        command.push_back(pattern);
        const auto reply = co_await node->exec(std::move(command));
        for (const auto& element : reply.elements) keys.push_back(element.str);
    }
    co_return keys;
}

std::string unique_name(const std::string& prefix) {
    static int counter = 0;
    return prefix + std::to_string(::getpid()) + "_" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" +
           std::to_string(++counter);
}

}  // namespace kayou::test
