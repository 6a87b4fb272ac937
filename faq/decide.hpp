#pragma once
// What the bot does with the retrieval hits: answer, offer numbered choices, stay silent (group
// chats) or hand off to the lawyer on duty; and how an answer is written out for a channel.
#include <cstddef>
#include <string>
#include <vector>

#include "faq/index.hpp"

namespace kayou::faq {

// Scores are Index::search's 0..1 scale. answer and lone were raised in session 9 with the pooled
// question evidence (IndexOptions::question_pool_weight); how they were chosen is in
// docs/faq-format.md ("Thresholds").
struct Thresholds {
    double answer = 0.57;   // at or above: answer with the top hit
    double suggest = 0.30;  // at or above (and below answer): offer the top choices
    double margin = 0.02;   // top1 - top2 below this: too close to call, offer choices
    // A lone candidate (no second hit at or above `suggest`) is not a choice: at or above this
    // (and `answer`) it is answered, below it the desk is offered.
    double lone = 0.58;
};

enum class Action {
    answer,   // send format_answer(*hits[0].entry, ...)
    choices,  // "您是不是想问" with hits numbered 1..n (at most 3)
    silence,  // group chat, not @-mentioned, not confident: say nothing
    handoff,  // nothing fits: offer the lawyer on duty (律师值班)
};

struct Decision {
    Action action = Action::handoff;
    std::vector<Hit> hits;      // answer: the one hit; choices: 1..3 hits; otherwise empty
    bool offer_lawyer = false;  // answer of an entry marked handoff: true
};

// hits: Index::search results, best first. in_group: the message came from a group chat;
// mentioned: the bot was @-mentioned (always true for 1:1 chats and SMS in practice).
Decision decide(const std::vector<Hit>& hits, const Thresholds& thresholds, bool in_group,
                bool mentioned);

// The answer, then "法律依据：《law》article；…", then how to reach a person. When it does not fit
// max_bytes the answer text is shortened (at a sentence end when possible, "…" marks the cut) so
// the legal basis and the way to a person survive; the result never exceeds max_bytes and never
// splits a UTF-8 sequence.
std::string format_answer(const Entry& entry, std::size_t max_bytes);

// The closing line appended to every answer.
inline constexpr const char* kReachPerson =
    "如需人工帮助，请回复\"人工\"或\"找律师\"转律师值班，或拨打职工服务热线12351。";

}  // namespace kayou::faq
