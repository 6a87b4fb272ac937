// Async integration tests against RedisServer::shared(): runs a coroutine with a connected
// client on its own io_context under a deadline, so no test can hang.
//
//   run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
//       const std::string prefix = unique_name("t:") + ":";  // keys of this run only
//       ...
//   });
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "redis/client.hpp"

namespace kayou::test {

// Fails the test when `body` throws or has not finished after `deadline`; the client is stopped
// when the body ends.
void run_with_redis(
    const std::function<boost::asio::awaitable<void>(std::shared_ptr<redis::Client>)>& body,
    std::chrono::seconds deadline = std::chrono::seconds(20));

// KEYS `pattern` on every primary (one node answers for its own keys only in a cluster).
boost::asio::awaitable<std::vector<std::string>> keys_on_every_primary(
    std::shared_ptr<redis::Client> client, std::string pattern);

// `prefix` + pid + clock + counter: names that reruns against a shared server never reuse.
std::string unique_name(const std::string& prefix);

}  // namespace kayou::test
