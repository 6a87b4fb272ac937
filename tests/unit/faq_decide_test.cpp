// The answer/both/choices/silence/handoff decision and answer formatting.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

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
// A service entry (legal: false): a hotline, buying a truck, the union's own steps.
Entry make_service_entry(std::string id) {
    Entry entry = make_entry(std::move(id));
    entry.legal = false;
    entry.legal_basis.clear();
    return entry;
}
const Entry kService = make_service_entry("service");
const Entry kService2 = make_service_entry("service2");
// Two answers off: the rules for one answer, choices and silence on their own.
const Thresholds kT{0.55, 0.30, 0.06, 0.60, /*both_gap=*/0};
// The same with two answers on, at the shipped distances.
Thresholds with_both() {
    Thresholds thresholds = kT;
    const Thresholds shipped;
    thresholds.both_gap = shipped.both_gap;
    thresholds.both_second = shipped.both_second;
    thresholds.both_top = shipped.both_top;
    return thresholds;
}

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

// Two close candidates with nothing else near are both answered; the rest of the rules stand.
TEST(FaqDecide, TwoCloseCandidatesAreAnsweredTogether) {
    struct Row {
        const char* why;
        std::vector<Hit> hits;
        bool in_group, mentioned;
        Action expected;
    };
    const Thresholds t = with_both();  // gap 0.15, second >= 0.45, top >= 0.55, margin 0.06
    // clang-format off
    const std::vector<Row> rows = {
        {"answerable top, second within the gap",
         {{&kA, 0.70}, {&kB, 0.60}}, false, true, Action::both},
        {"too close to call: both instead of a menu",
         {{&kA, 0.80}, {&kB, 0.79}}, false, true, Action::both},
        {"below answer, second close: both instead of a menu",
         {{&kA, 0.56}, {&kB, 0.50}}, false, true, Action::both},
        {"second a gap or more behind: one answer",
         {{&kA, 0.80}, {&kB, 0.65}}, false, true, Action::answer},
        {"second below both_second: one answer",
         {{&kA, 0.57}, {&kB, 0.44}}, false, true, Action::answer},
        {"top below both_top: a menu",
         {{&kA, 0.54}, {&kB, 0.50}}, false, true, Action::choices},
        {"third within margin of the second: a menu",
         {{&kA, 0.80}, {&kB, 0.79}, {&kC, 0.74}}, false, true, Action::choices},
        {"third within margin, top answerable alone: one answer",
         {{&kA, 0.80}, {&kB, 0.70}, {&kC, 0.65}}, false, true, Action::answer},
        {"third a margin below the second: both",
         {{&kA, 0.80}, {&kB, 0.79}, {&kC, 0.73}}, false, true, Action::both},
        {"group, unmentioned, answerable top: both speak",
         {{&kA, 0.70}, {&kB, 0.60}}, true, false, Action::both},
        {"group, unmentioned, too close to call: silence",
         {{&kA, 0.80}, {&kB, 0.79}}, true, false, Action::silence},
        {"group, mentioned, too close to call: both",
         {{&kA, 0.80}, {&kB, 0.79}}, true, true, Action::both},
        {"service first, legal second within the gap: the service answer alone",
         {{&kService, 0.70}, {&kA, 0.60}}, false, true, Action::answer},
        {"service first, legal second too close to call: the service answer alone",
         {{&kService, 0.80}, {&kA, 0.79}}, false, true, Action::answer},
        {"legal first, service second: both",
         {{&kA, 0.70}, {&kService, 0.60}}, false, true, Action::both},
        {"two service entries: both",
         {{&kService, 0.70}, {&kService2, 0.60}}, false, true, Action::both},
    };
    // clang-format on
    for (const auto& row : rows) {
        const auto d = decide(row.hits, t, row.in_group, row.mentioned);
        EXPECT_EQ(d.action, row.expected) << row.why;
        if (d.action == Action::both) {
            ASSERT_EQ(d.hits.size(), 2u) << row.why;
            EXPECT_EQ(d.hits[0].entry, row.hits[0].entry) << row.why;
            EXPECT_EQ(d.hits[1].entry, row.hits[1].entry) << row.why;
        }
    }
}

// With the shipped thresholds a top between both_top (0.55) and answer (0.57) is answered as two
// when the second is close; a service top with a legal second is offered as a menu instead.
TEST(FaqDecide, ServiceTopBelowAnswerWithALegalSecondIsAMenu) {
    const Thresholds shipped;
    EXPECT_EQ(decide({{&kA, 0.56}, {&kB, 0.50}}, shipped, false, true).action, Action::both);
    EXPECT_EQ(decide({{&kService, 0.56}, {&kA, 0.50}}, shipped, false, true).action,
              Action::choices);
}

// Where the two answers can go as two messages, pairing is wider; a short channel never pairs.
TEST(FaqDecide, ChannelThresholdsFollowWhatTheChannelCanSend) {
    Thresholds base;
    base.both_gap = 0.15;
    base.both_second = 0.45;
    base.both_gap_apart = 0.2;
    base.both_second_apart = 0.4;
    struct Row {
        const char* why;
        std::size_t max_bytes;
        bool follow_up;
        double gap;
        double second;
    };
    const std::vector<Row> rows = {
        {"one text", 2048, false, 0.15, 0.45},
        {"a second message", 2048, true, 0.2, 0.4},
        {"SMS", 300, false, 0.0, 0.45},
        {"SMS even if it could follow up", 300, true, 0.0, 0.45},
        {"one text that holds two whole answers (the smart robot)", 8192, false, 0.2, 0.4},
        {"from kBothWholeBytes", kBothWholeBytes, false, 0.2, 0.4},
        {"just under it", kBothWholeBytes - 1, false, 0.15, 0.45},
    };
    for (const Row& row : rows) {
        const Thresholds channel = channel_thresholds(base, row.max_bytes, row.follow_up);
        EXPECT_EQ(channel.both_gap, row.gap) << row.why;
        EXPECT_EQ(channel.both_second, row.second) << row.why;
        EXPECT_EQ(channel.answer, base.answer) << row.why;
    }
    // A pair 0.18 apart is two answers only where they can go apart.
    const std::vector<Hit> hits = {{&kA, 0.70}, {&kB, 0.52}};
    EXPECT_EQ(decide(hits, channel_thresholds(base, 2048, true), false, true).action, Action::both);
    EXPECT_EQ(decide(hits, channel_thresholds(base, 2048, false), false, true).action,
              Action::answer);
}

TEST(FaqDecide, AnswerAndBothAreTheActionsThatAnswer) {
    EXPECT_TRUE(answers(Action::answer));
    EXPECT_TRUE(answers(Action::both));
    EXPECT_FALSE(answers(Action::choices));
    EXPECT_FALSE(answers(Action::silence));
    EXPECT_FALSE(answers(Action::handoff));
}

TEST(FaqDecide, TwoAnswersOfferTheLawyerWhenEitherEntryDoes) {
    EXPECT_TRUE(decide({{&kA, 0.70}, {&kLawyer, 0.62}}, with_both(), false, true).offer_lawyer);
    EXPECT_FALSE(decide({{&kA, 0.70}, {&kB, 0.62}}, with_both(), false, true).offer_lawyer);
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

TEST(FaqFormat, EachLawIsNamedOnceWithItsArticlesInOrder) {
    Entry entry = make_entry("x");
    entry.legal_basis = {{"民法典", "第579条"},    {"民事诉讼法", ""},
                         {"民法典", "第170条"},    {"诉讼费用交纳办法", "第13条"},
                         {"诉讼费用交纳办法", ""}, {"民法典", "第188条"}};
    EXPECT_NE(format_answer(entry, 4096)
                  .find("法律依据：《民法典》第579条、第170条、第188条；《民事"
                        "诉讼法》；《诉讼费用交纳办法》第13条。"),
              std::string::npos)
        << format_answer(entry, 4096);
}

TEST(FaqFormat, ServiceEntryHasNoLegalBasisLine) {
    Entry entry = make_entry("x");
    entry.legal_basis.clear();
    entry.legal = false;
    EXPECT_EQ(format_answer(entry, 4096).find("法律依据"), std::string::npos);
}

// A group answer: the point within kGroupAnswerBytes, three articles at most, and where the rest
// is; never "回复1看全文" (a member's "1" is lost among the others' messages).
TEST(FaqFormat, GroupAnswerIsShortAndPointsToThePrivateChat) {
    Entry entry = make_entry("x");
    entry.answer.clear();
    for (int i = 0; i < 40; ++i) entry.answer += "被拖欠工资可以打12333投诉。";
    entry.legal_basis = {{"劳动合同法", "第30条"},
                         {"劳动合同法", "第85条"},
                         {"劳动争议调解仲裁法", "第27条"},
                         {"保障农民工工资支付条例", "第3条"}};
    const std::string text = format_group_answer(entry);
    EXPECT_LT(text.size(), kGroupAnswerBytes + 300);
    EXPECT_EQ(text.find("被拖欠工资可以打12333投诉。"), 0u);
    EXPECT_NE(text.find("…"), std::string::npos) << "cut";
    EXPECT_NE(text.find("《劳动争议调解仲裁法》第27条等。"), std::string::npos) << text;
    EXPECT_EQ(text.find("保障农民工工资支付条例"), std::string::npos) << text;
    EXPECT_NE(text.find(kGroupClosing), std::string::npos);
    EXPECT_EQ(text.find("看全文"), std::string::npos);
    // A short answer is sent whole, with its whole basis.
    EXPECT_EQ(format_group_answer(kA).find(kA.answer), 0u);
    EXPECT_NE(format_group_answer(kA).find("第27条。"), std::string::npos);
}

// whole_reply_bytes is the size at which format_answer stops shortening: the editors' form
// warns past kOneReplyBytes on that figure, so it must match what is sent to the byte.
TEST(FaqFormat, WholeReplyBytesIsWhereShorteningStarts) {
    const std::size_t whole = whole_reply_bytes(kA);
    EXPECT_EQ(whole, format_answer(kA, 4096).size());
    EXPECT_GT(whole, kA.answer.size() + std::string("法律依据：").size());
    EXPECT_EQ(format_answer(kA, whole).find("…"), std::string::npos);
    EXPECT_NE(format_answer(kA, whole - 1).find("…"), std::string::npos);
    Entry service = make_entry("x");
    service.legal_basis.clear();
    service.legal = false;
    EXPECT_LT(whole_reply_bytes(service), whole) << "no legal basis line";
}

// Too little room for the articles: the answer cut at a sentence and marked, never mid-word
// ("受害人是残疾的，还"; session 31).
TEST(FaqFormat, TooLittleRoomForTheArticlesCutsTheAnswerAtASentence) {
    Entry entry = make_entry("x");
    entry.answer = "第一句说被扶养人生活费。第二句说受害人是残疾的，还要按伤残等级打折。第三句。";
    for (int i = 0; i < 12; ++i)
        entry.legal_basis.push_back(
            {"最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", "第17条"});
    const std::string text = format_answer(entry, 60);
    EXPECT_LE(text.size(), 60u);
    EXPECT_EQ(text, "第一句说被扶养人生活费。…");
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

Entry answer_entry(std::string id, std::string answer, std::string law) {
    Entry entry = make_entry(std::move(id));
    entry.answer = std::move(answer);
    entry.legal_basis = {{std::move(law), "第1条"}};
    return entry;
}

std::string repeat(std::string_view sentence, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += sentence;
    return out;
}

TEST(FaqFormat, TwoAnswersEachWithItsLawAndOneWayToAPerson) {
    const Entry first = answer_entry("first", "工伤认定申请时限是一年。", "工伤保险条例");
    const Entry second = answer_entry("second", "仲裁时效是一年。", "劳动争议调解仲裁法");
    const std::string text = format_both(first, second, 2048);
    EXPECT_EQ(text.find(kBothOpening), 0u) << text;
    const auto one = text.find("①工伤认定申请时限是一年。\n法律依据：《工伤保险条例》第1条。");
    const auto two = text.find("②仲裁时效是一年。\n法律依据：《劳动争议调解仲裁法》第1条。");
    ASSERT_NE(one, std::string::npos) << text;
    ASSERT_NE(two, std::string::npos) << text;
    EXPECT_LT(one, two);
    // The way to a person once, at the end.
    EXPECT_EQ(text.find(kReachPerson), text.size() - std::string(kReachPerson).size());
    EXPECT_EQ(text.find("12351"), text.rfind("12351"));
    // A service entry (no legal basis) has no basis line of its own.
    Entry service = second;
    service.legal_basis.clear();
    EXPECT_EQ(format_both(first, service, 2048).find("法律依据"),
              format_both(first, service, 2048).rfind("法律依据"));
}

TEST(FaqFormat, TwoLongAnswersKeepTheFirstLongestAndBothBases) {
    // ~1,800 bytes each: together they cannot fit 2,048.
    const Entry first = answer_entry("first", repeat("第一条答案的一句话。", 60), "甲法");
    const Entry second = answer_entry("second", repeat("第二条答案的一句话。", 60), "乙法");
    const std::string text = format_both(first, second, 2048);
    EXPECT_LE(text.size(), 2048u);
    EXPECT_NE(text.find("《甲法》第1条"), std::string::npos) << text;
    EXPECT_NE(text.find("《乙法》第1条"), std::string::npos) << text;
    EXPECT_NE(text.find(kReachPerson), std::string::npos);
    // Each cut at a sentence end, and the best match keeps more than the runner-up.
    const auto kept = [&](std::string_view sentence) {
        std::size_t count = 0;
        for (auto at = text.find(sentence); at != std::string::npos;
             at = text.find(sentence, at + 1))
            ++count;
        return count;
    };
    EXPECT_GT(kept("第一条答案的一句话。"), 2 * kept("第二条答案的一句话。"));
    EXPECT_GE(kept("第二条答案的一句话。"), 3u);
    // Each shortened answer says how to get the rest.
    EXPECT_NE(text.find("。…（回复1看全文）\n法律依据：《甲法》"), std::string::npos) << text;
    EXPECT_NE(text.find("。…（回复2看全文）\n法律依据：《乙法》"), std::string::npos) << text;
    EXPECT_NE(text.find("。…"), std::string::npos) << text;
}

TEST(FaqFormat, ShortSecondAnswerIsKeptWholeAndTheFirstTakesTheRest) {
    const Entry first = answer_entry("first", repeat("第一条答案的一句话。", 80), "甲法");
    const Entry second = answer_entry("second", "第二条只有一句。", "乙法");
    const std::string text = format_both(first, second, 2048);
    EXPECT_LE(text.size(), 2048u);
    EXPECT_NE(text.find("②第二条只有一句。"), std::string::npos) << text;
    EXPECT_NE(text.find("（回复1看全文）"), std::string::npos) << text;
    EXPECT_EQ(text.find("（回复2看全文）"), std::string::npos) << text;
    EXPECT_GT(text.size(), 2048u - 40) << "the room the second left goes to the first";
}

TEST(FaqFormat, TwoAnswersNeverExceedTheLimitNorSplitCharacters) {
    const Entry first = answer_entry("first", repeat("工伤认定一年内申请。", 12), "甲法");
    const Entry second = answer_entry("second", repeat("仲裁时效一年。", 12), "乙法");
    const std::string full = format_both(first, second, 100000);
    for (std::size_t limit = 0; limit <= full.size() + 3; ++limit) {
        const auto text = format_both(first, second, limit);
        ASSERT_LE(text.size(), limit) << limit;
        for (char32_t c : kayou::text::decode_utf8(text))
            ASSERT_NE(c, kayou::text::kReplacementChar) << limit;
        // Too little room for two answers: the first alone, as format_answer writes it.
        if (text.find(kBothOpening) != 0) ASSERT_EQ(text, format_answer(first, limit)) << limit;
    }
    EXPECT_EQ(format_both(first, second, 300), format_answer(first, 300));
}

// A stand-in for Index::sentence_relevance: how many of the given words a sentence holds.
SentenceRelevance words_relevance(std::vector<std::string> words) {
    return [words = std::move(words)](std::string_view sentence) {
        double shared = 0;
        for (const auto& word : words) shared += sentence.find(word) != std::string_view::npos;
        return shared;
    };
}

// What a shortened answer keeps. The sentences are 18 (甲), 15 (乙 丙 戊) and 21 (丁) bytes; each
// kept after the opening counts 3 more bytes for a "…" that may stand before it.
TEST(FaqFormat, AShortenedAnswerKeepsItsOpeningAndWhatWasAsked) {
    const std::string answer = "甲先说结论。乙第二句。丙第三句。丁说期限三年。戊第五句。";
    struct Row {
        const char* name;
        std::vector<std::string> asked;
        std::size_t budget;  // for the answer text, "…" included
        std::string kept;
    };
    const std::vector<Row> rows = {
        // Nothing in common with the question: the plain cut at a sentence end.
        {"nothing relevant", {"仲裁"}, 66, "甲先说结论。乙第二句。丙第三句。…"},
        // The relevant sentence first, then the opening's followers in the room left; each run
        // left out is "…".
        {"one relevant", {"期限"}, 66, "甲先说结论。乙第二句。…丁说期限三年。…"},
        {"relevant before the second", {"期限"}, 48, "甲先说结论。…丁说期限三年。…"},
        // The more relevant of two is kept when both do not fit; the end kept needs no mark.
        {"best first", {"期限", "三年", "第五"}, 48, "甲先说结论。…丁说期限三年。…"},
        {"both fit", {"期限", "三年", "第五"}, 66, "甲先说结论。…丁说期限三年。戊第五句。"},
        // A sentence sharing under a third of what the best shares is not kept for it.
        {"weak is not kept",
         {"说", "期限", "三年", "丁", "第五"},
         66,
         "甲先说结论。乙第二句。…丁说期限三年。…"},
    };
    for (const auto& row : rows) {
        Entry entry = answer_entry("x", answer, "甲法");
        entry.legal_basis.clear();
        entry.legal = false;
        const std::string tail = std::string("\n") + kReachPerson;
        const std::string text =
            format_answer(entry, row.budget + tail.size(), words_relevance(row.asked));
        EXPECT_EQ(text, row.kept + tail) << row.name;
    }
}

TEST(FaqFormat, AnOpeningTooLongToKeepIsCutPlainly) {
    const Entry entry = answer_entry("x", repeat("很长的开头", 20) + "。期限三年。", "甲法");
    const std::string without = format_answer(entry, 200);
    EXPECT_EQ(format_answer(entry, 200, words_relevance({"期限"})), without);
}

TEST(FaqFormat, ARelevantCutNeverExceedsTheLimitAndSaysHowToGetTheRest) {
    const Entry first = answer_entry(
        "first", repeat("工伤认定一年内申请。", 14) + "停工留薪期一般不超过十二个月。", "甲法");
    const Entry second =
        answer_entry("second", repeat("仲裁时效一年。", 12) + "仲裁不收费。", "乙法");
    const auto relevance = words_relevance({"停工留薪", "不收费"});
    const std::string full = format_both(first, second, 100000, relevance);
    for (std::size_t limit = 0; limit <= full.size() + 3; ++limit) {
        const auto text = format_both(first, second, limit, relevance);
        ASSERT_LE(text.size(), limit) << limit;
        for (char32_t c : kayou::text::decode_utf8(text))
            ASSERT_NE(c, kayou::text::kReplacementChar) << limit;
    }
    // Where the plain cut loses both asked-for facts, the relevant cut keeps them.
    const std::size_t tight = full.size() - 200;
    const std::string plain = format_both(first, second, tight);
    const std::string cut = format_both(first, second, tight, relevance);
    EXPECT_EQ(plain.find("停工留薪"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("不收费"), std::string::npos) << plain;
    EXPECT_NE(cut.find("停工留薪期一般不超过十二个月。…（回复1看全文）"), std::string::npos) << cut;
    EXPECT_NE(cut.find("…仲裁不收费。…（回复2看全文）"), std::string::npos) << cut;
}

// The text a decision sends is the one formatter its action names; the other actions send none.
TEST(FaqFormat, AnswerTextFollowsTheAction) {
    const auto one = decide({{&kA, 0.9}, {&kB, 0.4}}, kT, false, true);
    ASSERT_EQ(one.action, Action::answer);
    EXPECT_EQ(answer_text(one, 2048), format_answer(kA, 2048));
    const auto two = decide({{&kA, 0.70}, {&kB, 0.60}}, with_both(), false, true);
    ASSERT_EQ(two.action, Action::both);
    EXPECT_EQ(answer_text(two, 2048), format_both(kA, kB, 2048));
    const auto menu = decide({{&kA, 0.45}, {&kB, 0.40}}, kT, false, true);
    ASSERT_EQ(menu.action, Action::choices);
    EXPECT_EQ(answer_text(menu, 2048), "");
    // The question's relevance reaches the formatter.
    const auto relevance = words_relevance({"仲裁"});
    EXPECT_EQ(answer_text(two, 300, relevance), format_both(kA, kB, 300, relevance));
}

// Two answers too long for one text go as two messages when the channel can send a second one:
// each whole, each with its basis, the first saying a second follows (and how to get it if it
// does not), the way to a person once, at the end of the second.
TEST(FaqFormat, TwoLongAnswersGoWholeInTwoMessagesWhenTheChannelCanFollowUp) {
    const Entry first = answer_entry("first", repeat("第一条答案的一句话。", 40), "甲法");
    const Entry second = answer_entry("second", repeat("第二条答案的一句话。", 40), "乙法");
    const auto messages = format_both_apart(first, second, 2048);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0], std::string(kBothApartOpening) + "\n①" + first.answer +
                               "\n法律依据：《甲法》第1条。");
    EXPECT_EQ(messages[1], "②" + second.answer + "\n法律依据：《乙法》第1条。\n" + kReachPerson);
    EXPECT_NE(std::string(kBothApartOpening).find("回复2"), std::string::npos);
    // Longer than one message: still cut within each, and still saying how to get the rest.
    const Entry longest = answer_entry("longest", repeat("第一条答案的一句话。", 80), "甲法");
    const auto cut = format_both_apart(longest, second, 2048);
    ASSERT_EQ(cut.size(), 2u);
    EXPECT_LE(cut[0].size(), 2048u);
    EXPECT_NE(cut[0].find("…（回复1看全文）\n法律依据：《甲法》"), std::string::npos) << cut[0];
    EXPECT_EQ(cut[1], messages[1]);
    // Too little room for either message: the one text of format_both.
    EXPECT_EQ(format_both_apart(first, second, 150),
              std::vector<std::string>{format_both(first, second, 150)});
}

// answer_messages: one text unless the channel can follow up and two answers would be shortened.
TEST(FaqFormat, AnswerMessagesSplitOnlyTwoAnswersThatDoNotFitOneText) {
    const Entry first = answer_entry("first", repeat("第一条答案的一句话。", 40), "甲法");
    const Entry second = answer_entry("second", repeat("第二条答案的一句话。", 40), "乙法");
    const Decision long_pair{Action::both, {{&first, 0.7}, {&second, 0.6}}};
    const Decision short_pair{Action::both, {{&kA, 0.7}, {&kB, 0.6}}};
    const Decision one{Action::answer, {{&first, 0.9}}};
    const Decision menu{Action::choices, {{&kA, 0.45}, {&kB, 0.40}}};
    struct Row {
        const char* why;
        const Decision& decision;
        bool follow_up;
        std::vector<std::string> expected;
    };
    const std::vector<Row> rows = {
        {"two long answers, a second message", long_pair, true,
         format_both_apart(first, second, 2048)},
        {"two long answers, one message only",
         long_pair,
         false,
         {format_both(first, second, 2048)}},
        {"two short answers fit one text", short_pair, true, {format_both(kA, kB, 2048)}},
        {"one answer is one message", one, true, {format_answer(first, 2048)}},
        {"a menu is not an answer", menu, true, {}},
    };
    for (const Row& row : rows)
        EXPECT_EQ(answer_messages(row.decision, 2048, {}, row.follow_up), row.expected) << row.why;
    // A channel whose one text holds both (the smart robot's stream): one text, both whole.
    const auto roomy = answer_messages(long_pair, 8192, {}, false);
    ASSERT_EQ(roomy.size(), 1u);
    EXPECT_EQ(roomy.front().find(kBothOpening), 0u);
    EXPECT_NE(roomy.front().find(first.answer), std::string::npos);
    EXPECT_NE(roomy.front().find(second.answer), std::string::npos);
    EXPECT_EQ(roomy.front().find("看全文"), std::string::npos) << roomy.front();
    // Every message within the limit, whatever the limit.
    for (std::size_t limit = 0; limit <= 4000; limit += 7)
        for (const auto& message : answer_messages(long_pair, limit, {}, true))
            ASSERT_LE(message.size(), limit) << limit;
}

}  // namespace
