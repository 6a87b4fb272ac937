// text::contains / contains_any: the word scan the dialogs and the FAQ share.
#include <gtest/gtest.h>

#include <string_view>

#include "text/words.hpp"

namespace kayou::text {
namespace {

TEST(Words, ContainsAWord) {
    EXPECT_TRUE(contains("我车是挂靠的", "挂靠"));
    EXPECT_FALSE(contains("我车是自己的", "挂靠"));
    EXPECT_FALSE(contains("挂靠", ""));  // an empty word is in no text
    EXPECT_FALSE(contains("", "挂靠"));
}

TEST(Words, ContainsAnyOfSeveral) {
    EXPECT_TRUE(contains_any("有吃饭的地方没", {"洗澡", "吃饭"}));
    EXPECT_FALSE(contains_any("洗澡要钱不", {"吃饭", "停车"}));
    EXPECT_FALSE(contains_any("洗澡要钱不", {}));
    constexpr std::string_view kListed[] = {"入会", "工会"};
    EXPECT_TRUE(contains_any("挂靠的也能入会吗", kListed));
    EXPECT_FALSE(contains_any("挂靠的也一样吗", kListed));
}

}  // namespace
}  // namespace kayou::text
