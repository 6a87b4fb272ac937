#include <gtest/gtest.h>

#include <algorithm>

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
        // Someone of the story, or both of what was named.
        {"他也没说录用条件是啥啊", true},
        {"对方不赔咋办", true},
        {"两边都能拿吗", true},
        {"工伤和车祸赔偿都能拿吗", true},
        // No more than what it asks about.
        {"要多久？", true},
        {"多少钱", true},
        {"去哪办", true},
        // A question that stands on its own.
        {"工伤认定多久能下来", false},
        {"超速罚款一般罚多少钱", false},
        {"加班费怎么算", false},
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

// Among near ties of a follow-up's own search, the entry nearest its topic comes first; the
// scores stay in place, and hits further down are not touched.
TEST(FaqFollowUp, PreferTopicOrdersNearTiesByTheTopic) {
    Entry motor, injury, far, other;
    motor.id = "motor";
    injury.id = "injury";
    far.id = "far";
    other.id = "other";
    const auto hit = [](const Entry& entry, double score) {
        Hit h;
        h.entry = &entry;
        h.score = score;
        return h;
    };
    std::vector<Hit> hits{hit(motor, 0.88), hit(injury, 0.82), hit(far, 0.60)};
    prefer_topic(hits, {hit(injury, 0.86), hit(far, 0.99)});
    ASSERT_EQ(hits.size(), 3u);
    EXPECT_EQ(hits[0].entry->id, "injury");
    EXPECT_EQ(hits[1].entry->id, "motor");
    EXPECT_EQ(hits[2].entry->id, "far");  // 0.28 below the best: not a near tie
    EXPECT_DOUBLE_EQ(hits[0].score, 0.88);
    EXPECT_DOUBLE_EQ(hits[1].score, 0.82);
    // No topic evidence: the order stands.
    std::vector<Hit> plain{hit(motor, 0.88), hit(injury, 0.82)};
    prefer_topic(plain, {hit(other, 0.9)});
    EXPECT_EQ(plain[0].entry->id, "motor");
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

TEST(FaqFollowUp, TheAspectAskedIsNamedByItsWords) {
    const std::pair<const char*, Aspect> cases[] = {
        {"那要多久", Aspect::time},
        {"啥时候能下来", Aspect::time},
        {"时效是几年", Aspect::time},
        {"那能赔多少", Aspect::money},
        {"补偿怎么算", Aspect::money},
        {"要钱吗", Aspect::money},
        {"去哪申请", Aspect::place},
        {"找谁管", Aspect::place},
        {"那要准备啥材料", Aspect::papers},
        {"要带什么证件", Aspect::papers},
        {"电话多少", Aspect::phone},
        {"打哪个号码", Aspect::phone},
        // Papers come before place: what to bring is the harder part.
        {"要带啥材料去哪交", Aspect::papers},
        {"还有别的办法吗", Aspect::none},
        {"", Aspect::none},
    };
    for (const auto& [message, aspect] : cases) EXPECT_EQ(asked_aspect(message), aspect) << message;
}

// A question word or mark, or a closing 不; said to another member, a question still asks.
TEST(FaqFollowUp, AsksSomethingByAQuestionWordMarkOrAClosingBu) {
    for (const char* text : {"申诉没通过还能咋办", "咋知道他是哪种", "能要回来不", "多久能批下来",
                             "你问问律师怎么说？", "@老王 超载罚多少"})
        EXPECT_TRUE(asks_something(text)) << text;
    for (const char* text : {"好的 谢谢", "女的呢", "满帮扣钱太狠了", "还没", "不", ""})
        EXPECT_FALSE(asks_something(text)) << text;
}

TEST(FaqFollowUp, OnlyAnAspectMeansTheAnswerBefore) {
    for (const char* message : {"要准备啥材料", "那要多久", "去哪申请", "要多少钱", "电话多少？",
                                "那需要带哪些证件", "去哪告他", "找谁投诉"})
        EXPECT_TRUE(asks_only_aspect(message)) << message;
    for (const char* message : {"罚款多少钱", "工伤认定要多久", "还有别的办法吗", "那运费呢",
                                "仲裁要准备啥材料", "", "去哪告工伤"})
        EXPECT_FALSE(asks_only_aspect(message)) << message;
}

TEST(FaqFollowUp, TheSentencesAboutAnAspectKeepTheirOrder) {
    const std::string answer =
        "被拖欠工资是违法的：可以打12333向劳动监察投诉，也可以申请劳动仲裁，都不收费。"
        "监察立案后一般60个工作日内查完。仲裁委收到申请5日内决定是否受理，受理后一般45日内"
        "裁决；已经离职的，要在离职后1年内申请。先保存好劳动合同、工资条、转账记录等证据。"
        "逾期不付的还要按应付金额50%到100%加付赔偿金！";
    EXPECT_EQ(sentences_about(answer, Aspect::time),
              (std::vector<std::string>{"监察立案后一般60个工作日内查完。",
                                        "仲裁委收到申请5日内决定是否受理，受理后一般45日内裁决。",
                                        "已经离职的，要在离职后1年内申请。"}));
    EXPECT_EQ(sentences_about(answer, Aspect::papers),
              std::vector<std::string>{"先保存好劳动合同、工资条、转账记录等证据。"});
    EXPECT_EQ(sentences_about(answer, Aspect::phone),
              std::vector<std::string>{
                  "被拖欠工资是违法的：可以打12333向劳动监察投诉，也可以申请劳动仲裁，都不收费。"});
    EXPECT_EQ(sentences_about(answer, Aspect::money).size(), 2u);  // 不收费, 50%到100%
    EXPECT_EQ(sentences_about(answer, Aspect::time, 1).size(), 1u);
    EXPECT_TRUE(sentences_about(answer, Aspect::none).empty());
    EXPECT_TRUE(sentences_about("交强险由保险公司赔。", Aspect::time).empty());
    EXPECT_TRUE(sentences_about("单位应当为你参加工伤保险。", Aspect::time).empty());
}

TEST(FaqFollowUp, ThePartOfAnAnswerSaysWhatItIsAbout) {
    const std::string answer = "可以申请劳动仲裁。受理后一般45日内裁决。仲裁不收费。";
    EXPECT_EQ(answer_part(answer, "那要多久"),
              "刚才的回答里，说到时间的是这几句：\n受理后一般45日内裁决。");
    EXPECT_EQ(answer_part(answer, "要花钱吗"), "刚才的回答里，说到钱的是这几句：\n仲裁不收费。");
    EXPECT_EQ(answer_part(answer, "还有别的办法吗"), "");  // no aspect: the answer goes whole
    EXPECT_EQ(answer_part(answer, "电话多少"), "");        // the answer has no number
}

// A follow-up about the answer just sent whose words name no aspect: the sentences that hold
// enough of what it asks, at most three, and the one after the most relevant (it often says what
// that one's condition means), in the answer's order.
TEST(FaqFollowUp, WhatToDoFirstIsNumberedStepsFirstThingsFirst) {
    // "那我该先干啥" got "已经说到了，不再重复" (legal helper, session 30).
    for (const char* text : {"那我该先干啥", "我到底该先干啥", "下一步呢"})
        EXPECT_EQ(asked_aspect(text), Aspect::steps) << text;
    EXPECT_TRUE(asks_only_aspect("那我该先干啥"));
    const std::string answer =
        "可以打12333投诉，也可以申请劳动仲裁。仲裁不收费。先保存好工资条和聊天记录。";
    EXPECT_EQ(answer_part(answer, "那我该先干啥"),
              "按刚才说的，可以这样做：\n1. 先保存好工资条和聊天记录。\n2. "
              "可以打12333投诉，也可以申请劳动仲裁。");
}

TEST(FaqFollowUp, TheRelevantPartQuotesWhatSpeaksToTheFollowUp) {
    const std::string answer =
        "一句开头。说到罚款的一句。无关的一句。又说到罚款和补缴的一句；最后一句。";
    const SentenceRelevance relevance = [](std::string_view sentence) {
        return sentence.find("罚款") != std::string_view::npos ? 0.8 : 0.1;
    };
    EXPECT_EQ(relevant_part(answer, relevance),
              "刚才的回答里，和您问的有关的是这几句：\n说到罚款的一句。\n无关的一句。\n"
              "又说到罚款和补缴的一句。");
    EXPECT_EQ(relevant_part(answer, [](std::string_view) { return 0.2; }), "");
    EXPECT_EQ(relevant_part(answer, {}), "");
    const SentenceRelevance all = [](std::string_view) { return 0.9; };
    const std::string many = relevant_part(answer, all);
    EXPECT_EQ(std::count(many.begin(), many.end(), '\n'), 3) << many;  // kPartSentences
}

// "太长了" and "太长咧额看不懂" ask for a shorter answer; "后面呢 咋没说完" for the rest of a cut
// one (legal helper, session 26: "不客气！" and numbered choices).
TEST(FaqFollowUp, ShorterAnswersAndTheRestOfOneAreAskedInHisWords) {
    for (const char* text : {"太长了", "太长咧额看不懂", "说简单点", "看不完"})
        EXPECT_TRUE(asks_for_brevity(text)) << text;
    for (const char* text : {"后面呢 咋没说完", "我要看上一条完整的", "全文发我"})
        EXPECT_TRUE(asks_for_the_rest(text)) << text;
    for (const char* text : {"你直接说能不能要", "太长了 简单点说", "这一大段看不懂", "直接说",
                             "别绕了 直接说吧", "说了半天 直接说到底能不能要"})
        EXPECT_TRUE(asks_for_brevity(text)) << text;
    // His case, not the answer: a simpler procedure, what the boss said, a long probation.
    for (const char* text :
         {"就欠我八千块运费 打官司有没有简单点的程序", "老板直接说你明天别来了 能要多少",
          "试用期写的六个月 我觉得试用期太长了", "有没有简单点的法子",
          "老板嫌俺年纪大了 直接说明天不用来了 能要多少钱"})
        EXPECT_FALSE(asks_for_brevity(text)) << text;
    for (const char* text : {"老板欠我工资咋办", "好的 谢谢"}) {
        EXPECT_FALSE(asks_for_brevity(text)) << text;
        EXPECT_FALSE(asks_for_the_rest(text)) << text;
    }
}

}  // namespace
}  // namespace kayou::faq
