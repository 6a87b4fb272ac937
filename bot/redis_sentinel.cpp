#include "bot/redis_sentinel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <utility>

#include "ops/log.hpp"

namespace kayou::bot {

std::shared_ptr<redis::SentinelLocator> start_sentinel(boost::asio::any_io_executor executor,
                                                       const RedisConfig& redis,
                                                       redis::Config& client_config) {
    redis::SentinelOptions options;
    options.master = redis.sentinel.master;
    for (const auto& node : redis.sentinel.nodes)
        options.nodes.push_back(*redis::parse_endpoint(node));  // checked by parse_config
    options.password = redis.sentinel.password;
    options.connect_timeout = redis.connect_timeout;
    options.command_timeout = redis.command_timeout;
    auto sentinel = redis::SentinelLocator::create(std::move(executor), std::move(options));
    sentinel->set_observer([master = redis.sentinel.master](const redis::SentinelEvent& event) {
        using Kind = redis::SentinelEvent::Kind;
        switch (event.kind) {
            case Kind::primary_found:
                ops::log(ops::LogLevel::info, "redis_primary_found",
                    {{"master", master}, {"address", event.to.to_string()}});
                break;
            case Kind::primary_switched:
                ops::log(ops::LogLevel::warn, "redis_primary_switched",
                    {{"master", master},
                     {"from", event.from.to_string()},
                     {"to", event.to.to_string()},
                     {"via", event.via}});
                break;
            case Kind::no_primary:
                ops::log(ops::LogLevel::warn, "redis_no_primary", {{"master", master}});
                break;
            case Kind::sentinel_down:
                ops::log(ops::LogLevel::warn, "redis_sentinel_down",
                    {{"sentinel", event.sentinel.to_string()}, {"reason", event.detail}});
                break;
            case Kind::sentinel_up:
                ops::log(ops::LogLevel::info, "redis_sentinel_up",
                    {{"sentinel", event.sentinel.to_string()}});
                break;
            case Kind::not_primary:
                ops::log(ops::LogLevel::warn, "redis_not_primary",
                    {{"master", master}, {"address", event.from.to_string()}});
                break;
        }
    });
    sentinel->start();
    client_config.locator = sentinel;
    client_config.wait_replicas = redis.sentinel.wait_replicas;
    client_config.wait_timeout = redis.sentinel.wait_timeout;
    return sentinel;
}

void describe_sentinel_metrics(ops::Metrics& metrics,
                               std::shared_ptr<const redis::SentinelLocator> sentinel) {
    metrics.describe("kayou_redis_primary_info", "gauge",
                     "The Redis primary the sentinels named last (label address)");
    metrics.describe("kayou_redis_failovers_total", "counter",
                     "Times the sentinels named a different primary since start");
    metrics.info("kayou_redis_primary_info", [sentinel]() -> std::string {
        const auto primary = sentinel->primary();
        if (!primary) return "";
        return "address=\"" + ops::label_value(primary->to_string()) + "\"";
    });
    metrics.gauge("kayou_redis_failovers_total",
                  [sentinel] { return static_cast<double>(sentinel->failovers()); });
}

std::optional<redis::Endpoint> ask_sentinels_now(const RedisConfig& redis) {
    boost::asio::io_context io;
    redis::Config ignored;
    auto sentinel = start_sentinel(io.get_executor(), redis, ignored);
    sentinel->set_observer({});  // the answer is printed; no log lines on the terminal
    auto answer = boost::asio::co_spawn(io, sentinel->ask(), boost::asio::use_future);
    const auto per_node = redis.connect_timeout + redis.command_timeout;
    io.run_for(per_node * static_cast<int>(redis.sentinel.nodes.size()));
    sentinel->stop();
    io.run_for(std::chrono::milliseconds(50));  // let the stopped connections close
    if (answer.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return std::nullopt;
    return answer.get();
}

std::string sentinel_status_lines(const redis::SentinelLocator& sentinel) {
    const auto primary = sentinel.primary();
    return "primary " + (primary ? primary->to_string() : std::string("unknown")) + "\nfailovers " +
           std::to_string(sentinel.failovers()) + "\n";
}

}  // namespace kayou::bot
