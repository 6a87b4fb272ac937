#include "bot/redis_memory.hpp"

#include <charconv>

namespace kayou::bot {

std::optional<RedisMemory> parse_info_memory(std::string_view info) {
    RedisMemory memory;
    bool found = false;
    while (!info.empty()) {
        const auto end = info.find('\n');
        std::string_view line = info.substr(0, end);
        info = end == std::string_view::npos ? std::string_view() : info.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto name = line.substr(0, colon);
        const auto value = line.substr(colon + 1);
        auto number = [&](std::uint64_t& out) {
            std::uint64_t parsed = 0;
            const auto [at, error] =
                std::from_chars(value.data(), value.data() + value.size(), parsed);
            if (error == std::errc() && at == value.data() + value.size()) out = parsed;
            return error == std::errc();
        };
        if (name == "used_memory")
            found = number(memory.used);
        else if (name == "maxmemory")
            number(memory.maxmemory);
        else if (name == "maxmemory_policy")
            memory.policy = std::string(value);
    }
    if (!found) return std::nullopt;
    return memory;
}

std::string memory_alert(const RedisMemory& memory, int alert_percent) {
    if (memory.maxmemory == 0) return "no_limit";
    if (memory.policy != "noeviction") return "evicting_policy";
    // used / max >= percent / 100, without floating point.
    if (memory.used * 100 >= memory.maxmemory * static_cast<std::uint64_t>(alert_percent))
        return "near_limit";
    return "";
}

}  // namespace kayou::bot
