// The answer/choices/silence/handoff decision and answer formatting.
#include <gtest/gtest.h>

#include <string>

#include "faq/decide.hpp"
#include "text/utf8.hpp"

namespace {

using namespace kayou::faq;

Entry make_entry(std::string id, bool handoff = false) {
    Entry entry;
    entry.id = std::move(id);
    entry.questions = {"问题"};
    entry.answer = "用人单位应当按时足额支付工资。拖欠的，可以向劳动监察投诉。也可以申请劳动仲裁。";
    entry.legal_basis = {{"劳动合同法", "第30条"}, {"劳动争议调解仲裁法", "第27条"}};
    entry.handoff = handoff;
    return entry;
}

const Entry kA = make_entry("a");
const Entry kB = make_entry("b");
const Entry kC = make_entry("c");
const Entry kD = make_entry("d");
const Entry kLawyer = make_entry("lawyer", true);
const Thresholds kT{0.55, 0.30, 0.06, 0.60};

TEST(FaqDecide, ConfidentAnswer) {
    const auto d = decide({{&kA, 0.9}, {&kB, 0.4}}, kT, false, true);
    EXPECT_EQ(d.action, Action::answer);
    ASSERT_EQ(d.hits.size(), 1u);
    EXPECT_EQ(d.hits[0].entry, &kA);
    EXPECT_FALSE(d.offer_lawyer);
}

TEST(FaqDecide, ConfidentAnswerSpeaksInGroupEvenUnmentioned) {
    EXPECT_EQ(decide({{&kA, 0.9}}, kT, true, false).action, Action::answer);
}

TEST(FaqDecide, AnswerOfHandoffEntryOffersLawyer) {
    const auto d = decide({{&kLawyer, 0.95}}, kT, false, true);
    EXPECT_EQ(d.action, Action::answer);
    EXPECT_TRUE(d.offer_lawyer);
}

TEST(FaqDecide, BetweenThresholdsOffersChoices) {
    const auto d = decide({{&kA, 0.5}, {&kB, 0.35}, {&kC, 0.31}, {&kD, 0.30}}, kT, false, true);
    EXPECT_EQ(d.action, Action::choices);
    ASSERT_EQ(d.hits.size(), 3u);  // at most three, best first
    EXPECT_EQ(d.hits[0].entry, &kA);
    EXPECT_EQ(d.hits[2].entry, &kC);
}

TEST(FaqDecide, ChoicesLeaveOutHitsBelowSuggest) {
    const auto d = decide({{&kA, 0.45}, {&kB, 0.35}, {&kC, 0.2}}, kT, false, true);
    EXPECT_EQ(d.action, Action::choices);
    ASSERT_EQ(d.hits.size(), 2u);
}

TEST(FaqDecide, ALoneCandidateIsAnsweredOrHandedOffNeverAOneItemMenu) {
    // Alone and at or above `lone`: answered.
    const auto answered = decide({{&kA, 0.62}, {&kB, 0.2}}, kT, false, true);
    EXPECT_EQ(answered.action, Action::answer);
    ASSERT_EQ(answered.hits.size(), 1u);
    // Alone and below `lone`, even above `answer`: one shared phrase is not enough; the desk.
    EXPECT_EQ(decide({{&kA, 0.57}, {&kB, 0.2}}, kT, false, true).action, Action::handoff);
    EXPECT_EQ(decide({{&kA, 0.45}}, kT, false, true).action, Action::handoff);
    // With a second candidate in the field, `answer` is enough.
    EXPECT_EQ(decide({{&kA, 0.57}, {&kB, 0.35}}, kT, false, true).action, Action::answer);
}

TEST(FaqDecide, CloseSecondMeansChoicesEvenAboveAnswer) {
    const auto d = decide({{&kA, 0.80}, {&kB, 0.77}}, kT, false, true);
    EXPECT_EQ(d.action, Action::choices);
    EXPECT_EQ(d.hits.size(), 2u);
    // A margin exactly at the limit is no longer "close".
    EXPECT_EQ(decide({{&kA, 0.80}, {&kB, 0.74}}, kT, false, true).action, Action::answer);
}

TEST(FaqDecide, UnsureInGroupIsSilentUnlessMentioned) {
    EXPECT_EQ(decide({{&kA, 0.45}}, kT, true, false).action, Action::silence);
    EXPECT_EQ(decide({{&kA, 0.80}, {&kB, 0.78}}, kT, true, false).action, Action::silence);
    EXPECT_EQ(decide({{&kA, 0.45}, {&kB, 0.40}}, kT, true, true).action, Action::choices);
}

TEST(FaqDecide, NothingFitsHandsOff) {
    EXPECT_EQ(decide({}, kT, false, true).action, Action::handoff);
    EXPECT_EQ(decide({{&kA, 0.1}}, kT, false, true).action, Action::handoff);
    EXPECT_TRUE(decide({{&kA, 0.1}}, kT, false, true).hits.empty());
}

TEST(FaqDecide, NothingFitsInGroupIsSilentUnlessMentioned) {
    EXPECT_EQ(decide({}, kT, true, false).action, Action::silence);
    EXPECT_EQ(decide({}, kT, true, true).action, Action::handoff);
}

TEST(FaqFormat, FullAnswerHasLawAndWayToAPerson) {
    const auto text = format_answer(kA, 4096);
    EXPECT_EQ(text.find(kA.answer), 0u);
    EXPECT_NE(text.find("法律依据：《劳动合同法》第30条；《劳动争议调解仲裁法》第27条。"),
              std::string::npos);
    EXPECT_NE(text.find("人工"), std::string::npos);
    EXPECT_NE(text.find("找律师"), std::string::npos);
    EXPECT_NE(text.find("12351"), std::string::npos);
}

TEST(FaqFormat, LawWithoutArticle) {
    Entry entry = make_entry("x");
    entry.legal_basis = {{"民事诉讼法", ""}};
    EXPECT_NE(format_answer(entry, 4096).find("法律依据：《民事诉讼法》。"), std::string::npos);
}

TEST(FaqFormat, ServiceEntryHasNoLegalBasisLine) {
    Entry entry = make_entry("x");
    entry.legal_basis.clear();
    entry.legal = false;
    EXPECT_EQ(format_answer(entry, 4096).find("法律依据"), std::string::npos);
}

TEST(FaqFormat, ShortensAnswerButKeepsLawAndContact) {
    const std::string full = format_answer(kA, 4096);
    const std::size_t limit = full.size() - 40;
    const auto text = format_answer(kA, limit);
    EXPECT_LE(text.size(), limit);
    EXPECT_NE(text.find("《劳动合同法》第30条"), std::string::npos);
    EXPECT_NE(text.find("12351"), std::string::npos);
    EXPECT_NE(text.find("…"), std::string::npos);
    EXPECT_EQ(kayou::text::utf8_prefix_length(text, text.size()), text.size());
    // Cut at a sentence end: the kept answer part ends with "。" before the ellipsis.
    EXPECT_NE(text.find("。…"), std::string::npos);
}

TEST(FaqFormat, NeverExceedsLimitNorSplitsCharacters) {
    const auto full = format_answer(kA, 100000);
    for (std::size_t limit = 0; limit <= full.size() + 3; ++limit) {
        const auto text = format_answer(kA, limit);
        ASSERT_LE(text.size(), limit) << limit;
        // Every byte sequence decodes without replacement characters.
        const auto decoded = kayou::text::decode_utf8(text);
        for (char32_t c : decoded) ASSERT_NE(c, kayou::text::kReplacementChar) << limit;
    }
}

}  // namespace
