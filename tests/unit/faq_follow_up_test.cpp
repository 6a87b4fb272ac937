#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faq/follow_up.hpp"

namespace kayou::faq {
namespace {

struct FollowUpCase {
    const char* message;
    bool leans;  // searched after the topic as well
};

TEST(FaqFollowUp, AShortQuestionThatPointsBackLeansOnThePreviousOne) {
    const FollowUpCase cases[] = {
        // Opening with a word that points back.
        {"那要多久能认定下来", true},
        {"那要准备啥材料", true},
        {"还有别的办法吗", true},
        {"要是单位不给报呢", true},
        {"如果他不认账怎么办", true},
        {"万一对方跑了", true},
        {"另外赔偿金怎么算", true},
        {"这种情况能告吗", true},
        {"再问一下 要花钱吗", true},
        // Ending in 呢, with or without punctuation around it.
        {"单位不给报呢", true},
        {"  运费呢？？", true},
        {"“那运费呢”", true},
        // A question that stands on its own.
        {"工伤认定多久能下来", false},
        {"老板欠我三个月工资不给 咋办", false},
        {"开车撞了人 要坐牢吗", false},
        // Long: a new story, even when it opens with 那.
        {"那天我在服务区停车吃饭 车上的货被人偷了 货主要我全赔 我该赔多少", false},
        {"要是老板一直拖着不给工资 我能不能直接去劳动仲裁 还要准备什么材料", false},
        // Nothing to search.
        {"", false},
        {"？？", false},
        {"呢", true},
    };
    for (const auto& item : cases)
        EXPECT_EQ(leans_on_previous(item.message), item.leans) << item.message;
}

TEST(FaqFollowUp, TheTopicComesFirstSoTheMessageIsTheAskingPart) {
    EXPECT_EQ(with_topic("出车祸受伤了 算工伤吗", "要是单位不给报呢"),
              "出车祸受伤了 算工伤吗 要是单位不给报呢");
}

TEST(FaqFollowUp, TheTopicIsTheLatestQuestionThatStandsOnItsOwn) {
    struct Case {
        std::vector<std::string> earlier;  // oldest first
        const char* topic;
    };
    const Case cases[] = {
        {{"出车祸受伤了 算工伤吗"}, "出车祸受伤了 算工伤吗"},
        {{"老板欠我三个月工资不给 咋办", "出车祸受伤了 算工伤吗"}, "出车祸受伤了 算工伤吗"},
        // Back through follow-ups to the question they all lean on.
        {{"工伤认定要多久", "那要准备啥材料", "要是单位不给报呢"}, "工伤认定要多久"},
        // Nothing that stands on its own, or an empty message on the way.
        {{"那要多久"}, ""},
        {{}, ""},
        {{"工伤认定要多久", "？", "那要准备啥"}, ""},
    };
    for (const auto& item : cases)
        EXPECT_EQ(topic_of(item.earlier), item.topic) << testing::PrintToString(item.earlier);
}

}  // namespace
}  // namespace kayou::faq
