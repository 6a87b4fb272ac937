// INFO memory parsing and the Redis memory alert (bot/redis_memory.hpp).
#include <gtest/gtest.h>

#include "bot/redis_memory.hpp"

namespace kayou::bot {
namespace {

constexpr const char* kInfo =
    "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_rss:9000000\r\n"
    "maxmemory:268435456\r\nmaxmemory_human:256.00M\r\nmaxmemory_policy:noeviction\r\n";

TEST(RedisMemory, ParsesInfoMemory) {
    const auto memory = parse_info_memory(kInfo);
    ASSERT_TRUE(memory);
    EXPECT_EQ(memory->used, 1048576u);
    EXPECT_EQ(memory->maxmemory, 268435456u);
    EXPECT_EQ(memory->policy, "noeviction");
    EXPECT_FALSE(parse_info_memory("# Memory\r\nmaxmemory:5\r\n"));
    EXPECT_FALSE(parse_info_memory(""));
}

TEST(RedisMemory, AlertTable) {
    struct Row {
        std::uint64_t used, max;
        const char* policy;
        int percent;
        const char* alert;
    };
    for (const auto& row : std::vector<Row>{
             {100, 1000, "noeviction", 80, ""},
             {799, 1000, "noeviction", 80, ""},
             {800, 1000, "noeviction", 80, "near_limit"},
             {1000, 1000, "noeviction", 80, "near_limit"},
             {100, 0, "noeviction", 80, "no_limit"},
             {100, 1000, "allkeys-lru", 80, "evicting_policy"},
             {100, 1000, "volatile-lru", 80, "evicting_policy"},
         })
        EXPECT_EQ(memory_alert({row.used, row.max, row.policy}, row.percent), row.alert)
            << row.used << "/" << row.max << " " << row.policy;
}

}  // namespace
}  // namespace kayou::bot
