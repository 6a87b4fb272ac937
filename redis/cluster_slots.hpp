// Redis Cluster, the pure part: which slot a key hashes to, which node serves a slot (CLUSTER
// SLOTS), what a redirection says (-MOVED / -ASK) and which key of a command decides where it is
// sent. No I/O here; redis/client.cpp routes commands with it. Table-driven tests:
// tests/unit/redis_cluster_slots_test.cpp.
//
// Every multi-key script and MULTI of kayou keeps its keys under one {hash tag} (docs/DESIGN.md
// "Keys and hash tags"), so one key per command or batch is enough to route it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/reply.hpp"
#include "redis/sentinel.hpp"

namespace kayou::redis {

inline constexpr std::size_t kClusterSlots = 16384;

// CRC16-XMODEM (polynomial 0x1021, initial 0), the checksum Redis Cluster hashes keys with.
std::uint16_t crc16_xmodem(std::string_view bytes);

// The slot of `key`: CRC16 mod 16384 of the whole key, or of the part between the first '{' and
// the first '}' after it when that part is not empty (the hash tag).
std::uint16_t key_hash_slot(std::string_view key);

// Which node serves each slot, read from a CLUSTER SLOTS reply. Slots no range names have no
// node (a cluster still being set up): node_for() is then nullopt.
class SlotTable {
public:
    // nullopt when the reply is an error or malformed.
    static std::optional<SlotTable> parse(const Reply& cluster_slots_reply);

    // Index into nodes() of the primary serving `slot`, nullopt when no range covers it.
    std::optional<std::size_t> node_for(std::uint16_t slot) const;
    // The primaries, each once, in the order the reply first named them.
    const std::vector<Endpoint>& nodes() const { return nodes_; }
    // Every slot has a primary.
    bool complete() const;
    // `slot` is served by `node` now (a -MOVED reply); returns the node's index in nodes().
    std::size_t assign(std::uint16_t slot, const Endpoint& node);

private:
    static constexpr std::uint16_t kNoNode = 0xFFFF;
    std::vector<Endpoint> nodes_;
    std::vector<std::uint16_t> owner_ = std::vector<std::uint16_t>(kClusterSlots, kNoNode);
};

// "-MOVED 3999 127.0.0.1:6381" (the slot lives elsewhere now: update the table) or "-ASK 3999
// 127.0.0.1:6381" (this one command, during a migration: send ASKING first, keep the table).
struct Redirect {
    enum class Kind { moved, ask };
    Kind kind = Kind::moved;
    std::uint16_t slot = 0;
    Endpoint to;
};
// The error reply's text (without the leading '-'); nullopt for any other error or malformed one.
// An empty host (a node that does not know its own address) is returned as is.
std::optional<Redirect> parse_redirect(std::string_view error_text);
std::optional<Redirect> parse_redirect(const Reply& reply);

// The key whose slot decides where a command goes: args[1] for ordinary key commands, the first
// key of EVAL/EVALSHA (nullopt with numkeys 0), the key after STREAMS for XREAD/XREADGROUP, and
// nullopt for commands without a key (PING, WAIT, SCRIPT, INFO, TIME, MULTI, EXEC, ...).
std::optional<std::string_view> routing_key(const std::vector<std::string>& args);
// A batch (a pipeline, MULTI ... EXEC): the routing key of its first keyed command.
std::optional<std::string_view> routing_key(const std::vector<std::vector<std::string>>& commands);

}  // namespace kayou::redis
