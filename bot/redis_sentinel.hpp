#pragma once
// kayou's side of Redis Sentinel (redis.sentinel in the config; docs/DESIGN.md "Redis Sentinel"):
// the locator built from the config with every switch logged, its /metrics series and its
// /readyz lines. The Sentinel logic itself is in redis/sentinel_locator.hpp.
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>
#include <string>

#include "bot/config.hpp"
#include "ops/metrics.hpp"
#include "redis/client.hpp"
#include "redis/sentinel_locator.hpp"

namespace kayou::bot {

// Started; logs redis_primary_found / redis_primary_switched (old -> new address) /
// redis_sentinel_down ... Points `client_config` at it (locator, WAIT settings).
std::shared_ptr<redis::SentinelLocator> start_sentinel(boost::asio::any_io_executor executor,
                                                       const RedisConfig& redis,
                                                       redis::Config& client_config);

// kayou_redis_primary_info{address} and kayou_redis_failovers_total.
void describe_sentinel_metrics(ops::Metrics& metrics,
                               std::shared_ptr<const redis::SentinelLocator> sentinel);

// Asks the sentinels once, blocking (at most connect + command timeout per sentinel): for
// `kayou --print-redis` (scripts/redis-cli.sh), which runs no event loop of its own.
std::optional<redis::Endpoint> ask_sentinels_now(const RedisConfig& redis);

// "primary 10.0.0.5:6379\nfailovers 1\n" for the /readyz body.
std::string sentinel_status_lines(const redis::SentinelLocator& sentinel);

}  // namespace kayou::bot
