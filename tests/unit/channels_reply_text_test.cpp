#include <gtest/gtest.h>

#include <random>
#include <string>

#include "bot/channels/mention.hpp"
#include "bot/channels/reply_text.hpp"
#include "text/utf8.hpp"

namespace kayou::channels {
namespace {

TEST(ChannelsReplyText, JoinsWithBlankLinesAndSkipsEmpty) {
    EXPECT_EQ(join_for_one_message({"一", "", "二", "三"}, 2048), "一\n\n二\n\n三");
    EXPECT_EQ(join_for_one_message({}, 2048), "");
    EXPECT_EQ(join_for_one_message({"", "\x01\x02"}, 2048), "");
}

TEST(ChannelsReplyText, CleansControlAndMalformedBytes) {
    EXPECT_EQ(join_for_one_message({"a\x1D"
                                    "b\xff"
                                    "c\n\td"},
                                   2048),
              "abc\n\td");
}

// Every cut position around a 4-byte emoji: the result is always valid and within the limit.
TEST(ChannelsReplyText, TruncatesAtEveryBoundaryAroundEmoji) {
    const std::string emoji = "🚚";  // 4 bytes
    for (std::size_t prefix = 0; prefix < 12; ++prefix) {
        const std::string text = std::string(prefix, 'a') + emoji + emoji + emoji;
        for (std::size_t limit = 4; limit < text.size() + 2; ++limit) {
            const std::string out = truncate_with_marker(text, limit);
            EXPECT_LE(out.size(), limit) << prefix << "/" << limit;
            if (text.size() <= limit) {
                EXPECT_EQ(out, text);
                continue;
            }
            ASSERT_TRUE(out.ends_with(kTruncationMarker)) << prefix << "/" << limit;
            const std::string kept = out.substr(0, out.size() - kTruncationMarker.size());
            EXPECT_TRUE(text.starts_with(kept));
            // No partial emoji before the marker: kept ends on a code point boundary.
            const std::size_t after = kept.size();
            EXPECT_TRUE(after == text.size() ||
                        (static_cast<unsigned char>(text[after]) & 0xC0) != 0x80)
                << prefix << "/" << limit;
        }
    }
}

TEST(ChannelsReplyText, JoinTruncatesTheWhole) {
    const std::string a(1500, 'a');
    const std::string b(1500, 'b');
    const std::string out = join_for_one_message({a, b}, 2048);
    EXPECT_EQ(out.size(), 2048u);
    EXPECT_EQ(out, a + "\n\n" + std::string(2048 - 1502 - 3, 'b') + "…");
}

TEST(ChannelsReplyText, SplitForMessages) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "卡";  // 3000 bytes
    const auto chunks = split_for_messages({text, "", "短"}, 2000);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_LE(chunks[0].size(), 2000u);
    EXPECT_EQ(chunks[0].size() % 3, 0u);
    EXPECT_EQ(chunks[0] + chunks[1], text);
    EXPECT_EQ(chunks[2], "短");
    // Malformed input cannot stall the splitter: bad bytes are dropped first.
    const auto odd = split_for_messages({"\x80\x80\x80\x80\x80\x80 ok"}, 4);
    ASSERT_FALSE(odd.empty());
    EXPECT_EQ(odd[0], " ok");
}

TEST(ChannelsReplyText, MarkdownLiteralReplacesOnlyAsterisks) {
    EXPECT_EQ(markdown_literal("137****5342"), "137＊＊＊＊5342");
    EXPECT_EQ(markdown_literal("**粗体** _x_ `y`"), "＊＊粗体＊＊ _x_ `y`");
    EXPECT_EQ(markdown_literal("无星号"), "无星号");
    EXPECT_EQ(markdown_literal(""), "");
}

TEST(ChannelsMention, StripMentionsOf) {
    struct Case {
        const char* text;
        bool removed;
        const char* left;  // the text after; as it was when nothing is removed
    };
    const Case cases[] = {
        {"@卡友小助手\u2005你好", true, "你好"},
        {"你好 @卡友小助手", true, "你好 "},
        {"@卡友小助手 @卡友小助手\n再问", true, "再问"},
        // A longer Latin name is someone else's; Chinese right after the name is his question,
        // typed with no space (group helper, session 27: "@卡友小助手怎么入会" got silence). A
        // member whose nickname starts with the bot's name would be read as the bot: none is
        // expected.
        {"@卡友小助手2号 好", false, "@卡友小助手2号 好"},
        {"@卡友小助手怎么入会", true, "怎么入会"},
        {"@卡友小助手，撞车了对方全责不赔怎么弄", true, "，撞车了对方全责不赔怎么弄"},
        {"@卡友小助手2", true, "2"},
        {"2@卡友小助手", true, "2"},
        {"mail@卡友小助手 x", false, "mail@卡友小助手 x"},
        {"@", false, "@"},
        // Chinese typing puts no space before the @ (benefits helper, session 26: no reply).
        {"问下@卡友小助手 溧阳有司机之家吗", true, "问下溧阳有司机之家吗"},
        {"气死了，对了@卡友小助手 金坛哪有能洗澡的地方", true, "气死了，对了金坛哪有能洗澡的地方"},
        {"\u3000@卡友小助手\u3000查", true, "\u3000查"},  // ideographic spaces around it
    };
    for (const Case& c : cases) {
        std::string text = c.text;
        EXPECT_EQ(strip_mentions_of(text, "卡友小助手"), c.removed) << c.text;
        EXPECT_EQ(text, c.left) << c.text;
    }
    std::string text = "@";
    EXPECT_FALSE(strip_mentions_of(text, ""));
}

TEST(ChannelsMention, StripLeadingMention) {
    std::string text = "@RobotA hello robot";
    EXPECT_TRUE(strip_leading_mention(text));
    EXPECT_EQ(text, "hello robot");
    text = "@机器人\u2005这是";
    EXPECT_TRUE(strip_leading_mention(text));
    EXPECT_EQ(text, "这是");
    text = "@只有名字";
    EXPECT_TRUE(strip_leading_mention(text));
    EXPECT_EQ(text, "");
    text = "没有@";
    EXPECT_FALSE(strip_leading_mention(text));
    EXPECT_EQ(text, "没有@");
}

// "卡友小助手 福利有哪些", "小助手在吗": the name opening a group message addresses the bot
// (group helper, session 21: both got silence).
TEST(ChannelsMention, StripLeadingName) {
    struct Case {
        const char* text;
        const char* name;
        bool addressed;
        const char* left;
    };
    const Case cases[] = {
        {"卡友小助手 福利有哪些", "卡友小助手", true, "福利有哪些"},
        {"小助手在吗", "小助手", true, "在吗"},
        {" 小助手，超载罚多少", "小助手", true, "超载罚多少"},
        {"小助手：入会", "小助手", true, "入会"},
        {"小助手2号在吗", "小助手", false, "小助手2号在吗"},
        {"问问小助手", "小助手", false, "问问小助手"},
        {"福利有哪些", "", false, "福利有哪些"},
    };
    for (const auto& item : cases) {
        std::string text = item.text;
        EXPECT_EQ(strip_leading_name(text, item.name), item.addressed) << item.text;
        EXPECT_EQ(trim_spaces(text), item.left) << item.text;
    }
}

TEST(ChannelsMention, TrimSpaces) {
    EXPECT_EQ(trim_spaces("\u2005 \u3000 你 好\n\u2005"), "你 好");
    EXPECT_EQ(trim_spaces("   "), "");
    EXPECT_EQ(trim_spaces(""), "");
    EXPECT_EQ(trim_spaces("x"), "x");
}

TEST(ReplyText, CleaningOnlyWhatFitsGivesTheSameMessageAsCleaningEverything) {
    // The reference cleans every text whole, then cuts.
    auto reference = [](const std::vector<std::string>& texts, std::size_t max_bytes) {
        std::string joined;
        for (const auto& text : texts) {
            const std::string clean = text::strip_control(text);
            if (clean.empty()) continue;
            if (!joined.empty()) joined.append("\n\n");
            joined.append(clean);
        }
        return truncate_with_marker(joined, max_bytes);
    };
    // Pieces that cleaning keeps, drops or must not split: CJK, a 4-byte emoji, controls, C1,
    // a stray continuation byte, a cut sequence.
    const std::vector<std::string> pieces = {"运",       "费",   "a",        " ",  "🚚",   "\x01",
                                             "\xC2\x85", "\x80", "\xE4\xBD", "\n", "\xFF"};
    std::mt19937 random(20261123);
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::string> texts(1 + random() % 3);
        for (auto& text : texts)
            for (int n = random() % 40; n > 0; --n) text += pieces[random() % pieces.size()];
        const std::size_t max_bytes = 8 + random() % 60;
        ASSERT_EQ(join_for_one_message(texts, max_bytes), reference(texts, max_bytes))
            << "round " << round;
    }
}

}  // namespace
}  // namespace kayou::channels
