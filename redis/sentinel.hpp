// Redis Sentinel, the pure part: reading the sentinels' answers and messages, and deciding what a
// new answer means. No I/O here; redis/sentinel_locator.hpp asks the sentinels and reconnects the
// clients. Table-driven tests: tests/unit/redis_sentinel_test.cpp.
//
// What the sentinels say, and where it is read:
//   SENTINEL get-master-addr-by-name <master>  -> ["10.0.0.5", "6379"], or nil when the sentinel
//                                                 does not monitor <master>  (parse_master_addr)
//   ROLE on a data node                        -> ["master", offset, [...]] or ["slave", ...]
//                                                 (parse_role)
//   the +switch-master channel                 -> "<master> <old ip> <old port> <new ip> <new
//                                                 port>"                      (parse_switch_master)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/reply.hpp"

namespace kayou::redis {

// host:port of a Redis node or a sentinel.
struct Endpoint {
    std::string host;
    std::uint16_t port = 0;

    bool operator==(const Endpoint&) const = default;
    // "host:port", "[::1]:26379" for an IPv6 literal.
    std::string to_string() const;
};

// "host:port" or "[v6]:port" (config's redis.sentinel.nodes); nullopt when malformed or the port
// is not 1..65535.
std::optional<Endpoint> parse_endpoint(std::string_view text);

// The answer to SENTINEL get-master-addr-by-name: the address, or nullopt (nil: this sentinel
// does not know the master; an error reply; anything malformed).
std::optional<Endpoint> parse_master_addr(const Reply& reply);

enum class Role { master, replica, sentinel, unknown };
// The answer to ROLE (its first element); unknown for an error reply or anything else.
Role parse_role(const Reply& reply);
const char* to_string(Role role);

struct SwitchMaster {
    std::string master;
    Endpoint from;
    Endpoint to;
};
// The payload of a +switch-master message; nullopt when malformed.
std::optional<SwitchMaster> parse_switch_master(std::string_view payload);

// An error reply that says "this node is no longer the primary": a write sent to a demoted
// primary (READONLY) or to a replica that lost its primary (MASTERDOWN).
bool is_not_primary_error(const Reply& reply);
bool is_not_primary_error(std::string_view error_text);

// One push message read off a SUBSCRIBE connection: ["message", channel, payload].
struct PushMessage {
    std::string kind;  // "message", "subscribe", ...
    std::string channel;
    std::string payload;
};
// Reads one RESP2 value from the front of `buffer`. Returns it and sets `consumed` to its length;
// nullopt with consumed 0 when the buffer holds only part of it. Throws std::runtime_error on
// bytes that are not RESP (the connection is then dropped).
std::optional<Reply> parse_resp(std::string_view buffer, std::size_t& consumed);
// A pub/sub push (an array whose first element is a string); nullopt for anything else.
std::optional<PushMessage> as_push_message(const Reply& reply);

// The primary as this process last saw it, and how many times it changed.
class PrimaryHistory {
public:
    enum class Change {
        same,      // the address we already use
        first,     // the first address learnt (not a failover)
        switched,  // a different address than before: a failover (or a manual switch)
    };
    Change note(const Endpoint& primary);
    const std::optional<Endpoint>& current() const { return current_; }
    std::uint64_t failovers() const { return failovers_; }

private:
    std::optional<Endpoint> current_;
    std::uint64_t failovers_ = 0;
};

// Which sentinel to ask first, then second, ...: the one that answered last time first (it is up
// and knows the master), then the others in configured order. `count` sentinels, `preferred` the
// index of the last one that answered (count or more: none yet).
std::vector<std::size_t> sentinel_order(std::size_t count, std::size_t preferred);

// Writes one command in RESP (for the subscriber's own connection).
std::string format_command(const std::vector<std::string>& arguments);

}  // namespace kayou::redis
