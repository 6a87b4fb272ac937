#include "text/utf8.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kayou::text {
namespace {

TEST(Utf8, DecodesAndEncodesEveryLength) {
    const std::string text = "aé你🚚";
    const auto code_points = decode_utf8(text);
    ASSERT_EQ(code_points.size(), 4u);
    EXPECT_EQ(code_points[0], U'a');
    EXPECT_EQ(code_points[1], U'é');
    EXPECT_EQ(code_points[2], U'你');
    EXPECT_EQ(code_points[3], U'🚚');
    EXPECT_EQ(encode_utf8(code_points), text);
    EXPECT_EQ(code_point_count(text), 4u);
}

TEST(Utf8, MalformedBytesBecomeReplacementCharacters) {
    const std::string broken =
        std::string("a\xE4\xBD") + "b" + "\xFF" + "\xC0\xAF";  // cut, bad, overlong
    const auto code_points = decode_utf8(broken);
    EXPECT_EQ(code_points.front(), U'a');
    EXPECT_NE(std::find(code_points.begin(), code_points.end(), U'b'), code_points.end());
    EXPECT_EQ(std::count(code_points.begin(), code_points.end(), kReplacementChar), 5);
    EXPECT_EQ(decode_utf8("\xED\xA0\x80").front(), kReplacementChar);  // a surrogate
}

TEST(Utf8, FoldsFullWidthCharacters) {
    EXPECT_EQ(fold_width("１３８　００１３　８０００"), "138 0013 8000");
    EXPECT_EQ(fold_width("ＡＢｃ，你好"), "ABc,你好");
    EXPECT_EQ(fold_width("plain"), "plain");
}

TEST(Utf8, StripControlKeepsLayoutWhitespace) {
    EXPECT_EQ(strip_control(std::string("a\x1d\tb\n\x7f") + "c\xC2\x85" + "d"), "a\tb\ncd");
    EXPECT_EQ(strip_control("a\xFF"
                            "b"),
              "ab");
}

TEST(Utf8, StripControlKeepsEveryValidCodePointByteForByte) {
    // Kept runs are copied as they are: 1- to 4-byte sequences, at the edges and in between.
    EXPECT_EQ(strip_control("你好🚚 é"), "你好🚚 é");
    EXPECT_EQ(strip_control("\x01你\x02好\x03"), "你好");
    // A truncated sequence, an overlong form and a surrogate are dropped, not copied.
    EXPECT_EQ(strip_control("卡\xE5\x8D"
                            "友"),
              "卡友");
    EXPECT_EQ(strip_control("a\xC0\xAF"
                            "b\xED\xA0\x80"
                            "c"),
              "abc");
    EXPECT_EQ(strip_control(""), "");
    EXPECT_EQ(strip_control("\x1b"), "");
}

TEST(Utf8, StripControlFastPathAgreesWithTheDecoderOnEveryThreeByteSequence) {
    // The reference: decode, drop replacements and controls, encode again.
    auto reference = [](std::string_view in) {
        std::u32string kept;
        for (char32_t cp : decode_utf8(in)) {
            const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
            if (cp == kReplacementChar || (control && cp != U'\t' && cp != U'\n' && cp != U'\r'))
                continue;
            kept.push_back(cp);
        }
        return encode_utf8(kept);
    };
    std::size_t checked = 0;
    for (int lead = 0xD0; lead <= 0xF4; ++lead)
        for (int second = 0x70; second <= 0xC2; ++second)
            for (int third : {0x00, 0x41, 0x7F, 0x80, 0x85, 0xBD, 0xBF, 0xC0}) {
                const std::string in{'a', static_cast<char>(lead), static_cast<char>(second),
                                     static_cast<char>(third), 'z'};
                ASSERT_EQ(strip_control(in), reference(in))
                    << lead << ' ' << second << ' ' << third;
                ++checked;
            }
    EXPECT_EQ(checked, 37u * 83u * 8u);
    EXPECT_EQ(strip_control("\xEF\xBF\xBD"), "");  // U+FFFD itself is dropped
    EXPECT_EQ(strip_control("x\xE4\xBD"), "x");    // cut at the end
}

TEST(Utf8, StripControlPrefixCleansOnlyPastWhatIsWanted) {
    const std::string text = std::string("a\x01") + "卡友bc\x02" + "d";
    EXPECT_EQ(strip_control_prefix(text, 100), strip_control(text));
    EXPECT_EQ(strip_control_prefix(text, 0), "a");       // one byte more than wanted
    EXPECT_EQ(strip_control_prefix(text, 1), "a卡");     // a 3-byte code point is never split
    EXPECT_EQ(strip_control_prefix(text, 7), "a卡友b");  // 8 bytes: longer than 7
    EXPECT_EQ(strip_control_prefix("", 5), "");
}

TEST(Utf8, PrefixNeverCutsACodePoint) {
    const std::string text = "你好🚚";  // 3 + 3 + 4 bytes
    EXPECT_EQ(utf8_prefix_length(text, 100), text.size());
    EXPECT_EQ(utf8_prefix_length(text, 3), 3u);
    EXPECT_EQ(utf8_prefix_length(text, 5), 3u);
    EXPECT_EQ(utf8_prefix_length(text, 6), 6u);
    EXPECT_EQ(utf8_prefix_length(text, 9), 6u);
    EXPECT_EQ(utf8_prefix_length(text, 2), 0u);
}

TEST(Utf8, SplitRespectsTheLimitAndPrefersSentenceEnds) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "运费拖欠。";
    text += "🚚🚚🚚";
    const auto chunks = split_utf8(text, 100);
    std::string joined;
    for (const auto& chunk : chunks) {
        EXPECT_LE(chunk.size(), 100u);
        const auto decoded = decode_utf8(chunk);
        EXPECT_EQ(std::count(decoded.begin(), decoded.end(), kReplacementChar), 0);
        joined += chunk;
    }
    EXPECT_EQ(joined, text);
    EXPECT_EQ(chunks.front().substr(chunks.front().size() - 3), "。");
}

TEST(Utf8, ReplaceEachWithSpaceAndClausesBetween) {
    // In order: the longer word first keeps the shorter from splitting it.
    EXPECT_EQ(replace_each_with_space("不要转人工 不要人工", {"不要转人工", "不要人工"}), "   ");
    EXPECT_EQ(replace_each_with_space("不要转人工", {"转人工", "不要转人工"}), "不要 ");
    EXPECT_EQ(replace_each_with_space("abc", {}), "abc");
    constexpr std::string_view kMarks[] = {" ", "，"};
    const std::vector<std::string_view> clauses = clauses_between("确认，体检  在哪", kMarks);
    ASSERT_EQ(clauses.size(), 4u);
    EXPECT_EQ(clauses[0], "确认");
    EXPECT_EQ(clauses[1], "体检");
    EXPECT_EQ(clauses[2], "");  // two marks side by side
    EXPECT_EQ(clauses[3], "在哪");
    EXPECT_EQ(clauses_between("", kMarks), std::vector<std::string_view>{""});
}

TEST(Utf8, ReplaceWithSpace) {
    EXPECT_EQ(replace_with_space("我叫王建军 王建军的车", "王建军"), "我叫   的车");
    EXPECT_EQ(replace_with_space("aaa", "a"), "   ");
    EXPECT_EQ(replace_with_space("老板欠我工资", ""), "老板欠我工资");
    EXPECT_EQ(replace_with_space("", "x"), "");
}

TEST(Utf8, SplitOfEmojiAtTheLimit) {
    const std::string emoji = "🚚🚚🚚";  // 12 bytes
    const auto chunks = split_utf8(emoji, 5);
    ASSERT_EQ(chunks.size(), 3u);
    for (const auto& chunk : chunks) EXPECT_EQ(chunk, "🚚");
}

TEST(Utf8, SplitTerminatesOnStrayContinuationBytes) {
    // Regression: a leading run of continuation bytes gave an empty prefix and an endless loop.
    const std::string garbage = "\x80\x80\x80\x80\x80\x80ok";
    const auto chunks = split_utf8(garbage, 4);
    std::string joined;
    for (const auto& chunk : chunks) {
        EXPECT_FALSE(chunk.empty());
        EXPECT_LE(chunk.size(), 4u);
        joined += chunk;
    }
    EXPECT_EQ(joined, garbage);
}

}  // namespace
}  // namespace kayou::text
