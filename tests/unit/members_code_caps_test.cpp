// The pure decisions behind verification-code caps (members/code_caps.hpp): may this code be
// sent, which cap refuses it, when the page must prove intent, the budget alert, join-link
// minting, proofs of work and client addresses. Table tests: one row per case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/hash.hpp"
#include "members/code_caps.hpp"

namespace kayou::members {
namespace {

CodeCounts counts(std::initializer_list<std::pair<CodeCap, std::int64_t>> set) {
    CodeCounts c{};
    for (const auto& [cap, value] : set) c[static_cast<std::size_t>(cap)] = value;
    return c;
}

struct DecideRow {
    const char* name;
    CodeCounts counts;
    bool web;
    bool proved;
    CodeVerdict verdict;
    CodeCap cap;  // refuse only
    int bits;     // prove only
};

TEST(CodeCaps, DecideTable) {
    const CodeLimits limits;  // the shipped defaults (docs/sms.md)
    using C = CodeCap;
    using V = CodeVerdict;
    const std::vector<DecideRow> rows = {
        {"nothing counted yet, chat", counts({}), false, false, V::send, C::phone_spacing, 0},
        {"nothing counted yet, web", counts({}), true, false, V::send, C::phone_spacing, 0},
        {"phone within its spacing", counts({{C::phone_spacing, 1}}), false, false, V::refuse,
         C::phone_spacing, 0},
        {"phone hour used up", counts({{C::phone_hour, 5}}), false, false, V::refuse, C::phone_hour,
         0},
        {"phone hour one left", counts({{C::phone_hour, 4}}), false, false, V::send,
         C::phone_spacing, 0},
        {"phone day used up", counts({{C::phone_hour, 2}, {C::phone_day, 10}}), false, false,
         V::refuse, C::phone_day, 0},
        {"sender hour used up (修改手机号 cycling)", counts({{C::sender_hour, 5}}), false, false,
         V::refuse, C::sender_hour, 0},
        {"sender day used up", counts({{C::sender_day, 10}}), false, false, V::refuse,
         C::sender_day, 0},
        {"link cap does not apply in chat", counts({{C::link, 99}, {C::address_hour, 999}}), false,
         false, V::send, C::phone_spacing, 0},
        {"link used up", counts({{C::link, 5}}), true, true, V::refuse, C::link, 0},
        {"address hour used up", counts({{C::address_hour, 30}}), true, true, V::refuse,
         C::address_hour, 0},
        {"global hour budget used up", counts({{C::global_hour, 300}}), false, false, V::refuse,
         C::global_hour, 0},
        {"global day budget used up", counts({{C::global_hour, 1}, {C::global_day, 2000}}), false,
         false, V::refuse, C::global_day, 0},
        {"the driver hears about his phone before the budget",
         counts({{C::phone_spacing, 1}, {C::global_hour, 300}}), false, false, V::refuse,
         C::phone_spacing, 0},
        {"link's free code used: prove", counts({{C::link, 1}}), true, false, V::prove,
         C::phone_spacing, 16},
        {"link's second extra code: one bit harder", counts({{C::link, 2}}), true, false, V::prove,
         C::phone_spacing, 17},
        {"proved: sent", counts({{C::link, 2}}), true, true, V::send, C::phone_spacing, 0},
        {"address within its free allowance", counts({{C::address_hour, 2}}), true, false, V::send,
         C::phone_spacing, 0},
        {"address past its free allowance", counts({{C::address_hour, 3}}), true, false, V::prove,
         C::phone_spacing, 16},
        {"difficulty stops growing", counts({{C::address_hour, 29}}), true, false, V::prove,
         C::phone_spacing, 20},
        {"a cap beats a proof", counts({{C::link, 5}}), true, false, V::refuse, C::link, 0},
        // A join link names nobody (issue 17): the web has no sender, so sender counts are moot
        // there, as link and address counts are in chat.
        {"web ignores sender counts", counts({{C::sender_hour, 99}, {C::sender_day, 99}}), true,
         true, V::send, C::phone_spacing, 0},
        {"chat ignores link and address counts", counts({{C::link, 99}, {C::address_hour, 99}}),
         false, false, V::send, C::phone_spacing, 0},
    };
    for (const auto& row : rows) {
        const auto decision = decide_code(row.counts, limits, {row.web, row.proved});
        EXPECT_EQ(decision.verdict, row.verdict) << row.name;
        if (row.verdict == V::refuse) EXPECT_EQ(decision.cap, row.cap) << row.name;
        if (row.verdict == V::prove) EXPECT_EQ(decision.proof_bits, row.bits) << row.name;
    }
}

TEST(CodeCaps, ZeroSpacingSwitchesTheSpacingOff) {
    CodeLimits limits;
    limits.phone_spacing = std::chrono::seconds(0);
    const auto decision =
        decide_code(counts({{CodeCap::phone_spacing, 7}}), limits, {false, false});
    EXPECT_EQ(decision.verdict, CodeVerdict::send);
}

TEST(CodeCaps, EveryCapHasALimitAWindowOfAtMostADayAndTexts) {
    const CodeLimits limits;
    for (std::size_t i = 0; i < kCodeCapCount; ++i) {
        const auto cap = static_cast<CodeCap>(i);
        EXPECT_GT(cap_limit(cap, limits), 0) << to_string(cap);
        EXPECT_GT(cap_window(cap, limits).count(), 0) << to_string(cap);
        // Code-related keys never outlive a day.
        EXPECT_LE(cap_window(cap, limits), std::chrono::hours(24)) << to_string(cap);
        EXPECT_NE(to_string(cap), "unknown");
        const std::string web(web_refusal_text(cap));
        EXPECT_FALSE(web.empty());
        // Web texts name the page, never a chat command.
        for (const char* command : {"回复", "重发\u201d"})
            EXPECT_EQ(web.find(command), std::string::npos) << web;
        EXPECT_FALSE(chat_outcome(cap).empty());
    }
    EXPECT_EQ(chat_outcome(CodeCap::phone_spacing), "rate_minute");
    EXPECT_EQ(chat_outcome(CodeCap::phone_hour), "rate_hour");
    EXPECT_EQ(chat_outcome(CodeCap::phone_day), "rate_day");
    EXPECT_EQ(chat_outcome(CodeCap::sender_hour), "rate_sender");
    EXPECT_EQ(chat_outcome(CodeCap::global_day), "busy");
}

TEST(CodeCaps, WebCheckTextsAreWebTexts) {
    for (const char* outcome : {"wrong", "expired", "locked", "format"}) {
        const auto text = web_check_text(outcome, 3);
        EXPECT_FALSE(text.empty()) << outcome;
        EXPECT_EQ(text.find("回复"), std::string::npos) << text;
    }
    EXPECT_NE(web_check_text("wrong", 3).find("3次"), std::string::npos);
    EXPECT_NE(web_check_text("locked", 0).find("获取验证码"), std::string::npos);
    EXPECT_EQ(web_check_text("ok", 0), "");
}

TEST(CodeCaps, BudgetLevels) {
    struct Row {
        std::int64_t used, budget;
        int percent;
        BudgetLevel level;
    };
    for (const auto& row : std::vector<Row>{{0, 300, 80, BudgetLevel::none},
                                            {239, 300, 80, BudgetLevel::none},
                                            {240, 300, 80, BudgetLevel::alert},
                                            {299, 300, 80, BudgetLevel::alert},
                                            {300, 300, 80, BudgetLevel::exhausted},
                                            {301, 300, 80, BudgetLevel::exhausted},
                                            {1, 1, 100, BudgetLevel::exhausted},
                                            {0, 1, 100, BudgetLevel::none},
                                            {5, 0, 80, BudgetLevel::exhausted}})
        EXPECT_EQ(budget_level(row.used, row.budget, row.percent), row.level)
            << row.used << "/" << row.budget;
    EXPECT_EQ(to_string(BudgetLevel::alert), "alert");
}

TEST(CodeCaps, LinkMintTable) {
    const LinkMintLimits limits;  // 3 per member, 30 per group, per hour
    EXPECT_EQ(decide_link_mint(0, 0, limits), LinkMintVerdict::mint);
    EXPECT_EQ(decide_link_mint(2, 29, limits), LinkMintVerdict::mint);
    EXPECT_EQ(decide_link_mint(3, 0, limits), LinkMintVerdict::sender);
    EXPECT_EQ(decide_link_mint(0, 30, limits), LinkMintVerdict::group);
    EXPECT_EQ(decide_link_mint(9, 99, limits), LinkMintVerdict::sender);
}

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";

TEST(ProofOfWork, ChallengeRoundTripsAndIsBound) {
    const ProofChallenge c{12, 2000, "salt0123", "bind0123"};
    const auto text = sign_challenge(kKey, c);
    auto back = verify_challenge(kKey, text, "bind0123", 1000);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->bits, 12);
    EXPECT_EQ(back->expires, 2000);
    EXPECT_EQ(back->salt, "salt0123");
    EXPECT_FALSE(verify_challenge(kKey, text, "otherbind", 1000)) << "another link or address";
    EXPECT_FALSE(verify_challenge(kKey, text, "bind0123", 2000)) << "expired";
    EXPECT_FALSE(verify_challenge("another key 0123456789abcdef0123", text, "bind0123", 1000));
    std::string tampered = text;
    tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_challenge(kKey, tampered, "bind0123", 1000));
    EXPECT_FALSE(verify_challenge(kKey, "", "bind0123", 1000));
    EXPECT_FALSE(verify_challenge(kKey, "no-dot", "bind0123", 1000));
    EXPECT_FALSE(verify_challenge(kKey, std::string(600, 'a') + ".b", "bind0123", 1000));
}

TEST(ProofOfWork, LeadingZeroBits) {
    EXPECT_EQ(leading_zero_bits(std::string("\x80", 1)), 0);
    EXPECT_EQ(leading_zero_bits(std::string("\x01", 1)), 7);
    EXPECT_EQ(leading_zero_bits(std::string("\x00\x00\x10", 3)), 19);
    EXPECT_EQ(leading_zero_bits(std::string("\x00\x00", 2)), 16);
}

TEST(ProofOfWork, SolvedProofsVerifyAndOthersDoNot) {
    const auto challenge = sign_challenge(kKey, {10, 2000, "s", "b"});
    const auto nonce = solve_proof(challenge, 10);
    EXPECT_TRUE(proof_solves(challenge, nonce, 10));
    EXPECT_GE(leading_zero_bits(crypto::sha256(challenge + ":" + nonce)), 10);
    // solve_proof() returns the smallest nonce: every smaller one fails.
    for (std::uint64_t n = 0; n < std::stoull(nonce) && n < 50; ++n)
        EXPECT_FALSE(proof_solves(challenge, std::to_string(n), 10)) << n;
    EXPECT_FALSE(proof_solves(challenge, "", 0));
    EXPECT_FALSE(proof_solves(challenge, "12a", 0));
    EXPECT_FALSE(proof_solves(challenge, std::string(21, '1'), 0));
    EXPECT_TRUE(proof_solves(challenge, "7", 0));
}

TEST(ClientAddress, PeerOrTheProxysLastHop) {
    struct Row {
        const char* peer;
        const char* forwarded;
        bool trust;
        const char* expected;
    };
    for (const auto& row : std::vector<Row>{
             {"203.0.113.7", "", false, "203.0.113.7"},
             {"10.0.0.2", "198.51.100.1", false, "10.0.0.2"},
             {"10.0.0.2", "198.51.100.1", true, "198.51.100.1"},
             // The client may send its own X-Forwarded-For; the proxy appends the real peer.
             {"10.0.0.2", "1.2.3.4, 198.51.100.1", true, "198.51.100.1"},
             {"10.0.0.2", "", true, "10.0.0.2"},
             {"2001:db8:1:2:3:4:5:6", "", false, "2001:db8:1:2::/64"},
             {"2001:db8:1:2:ffff::1", "", false, "2001:db8:1:2::/64"},
             {"::ffff:198.51.100.9", "", false, "198.51.100.9"},
             {"10.0.0.2", "garbage", true, "unknown"},
         })
        EXPECT_EQ(client_address(row.peer, row.forwarded, row.trust), row.expected)
            << row.peer << " / " << row.forwarded;
}

}  // namespace
}  // namespace kayou::members
