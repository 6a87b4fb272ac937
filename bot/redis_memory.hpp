#pragma once
// Redis memory against its limit, for the alert before the limit is reached: with the
// noeviction policy (the only one kayou accepts: applications, the outbox and the audit log must
// never be evicted) Redis refuses writes at maxmemory. Pure: parses INFO memory.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::bot {

struct RedisMemory {
    std::uint64_t used = 0;       // used_memory
    std::uint64_t maxmemory = 0;  // 0 = no limit
    std::string policy;           // maxmemory_policy
};

// nullopt when the text has no used_memory line.
std::optional<RedisMemory> parse_info_memory(std::string_view info);

// Why an operator must look now: "" when all is well, else "no_limit" (maxmemory 0),
// "evicting_policy" (anything but noeviction) or "near_limit" (used >= percent of maxmemory).
std::string memory_alert(const RedisMemory& memory, int alert_percent);

}  // namespace kayou::bot
