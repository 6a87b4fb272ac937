#pragma once
// What the bot does with the retrieval hits: answer, offer numbered choices, stay silent (group
// chats) or hand off to the lawyer on duty; and how an answer is written out for a channel.
#include <cstddef>
#include <string>
#include <string_view>
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
    // Two candidates that both fit and stand within `both_gap` of each other are answered
    // together ("可能是下面两种情况之一"), each answer in full with its legal basis, instead of a
    // one-line menu the driver has to answer first, or one of the two picked by a hair: the top
    // at or above `both_top`, the second at or above `both_second`, and the third at least
    // `margin` below the second (three that close are a menu). 0 for `both_gap` turns it
    // off (a channel too short for two answers, see LegalQuestion::max_bytes). Chosen in session
    // 12 on the unfitted dev sets (docs/faq-format.md, "Two answers").
    double both_gap = 0.15;
    double both_second = 0.45;
    double both_top = 0.55;
    // Where two answers that do not fit one text go as two whole messages (LegalQuestion::
    // follow_up), pairing cuts neither: a wider gap and a lower second (session 15, docs/
    // faq-format.md "Two answers").
    double both_gap_apart = 0.2;
    double both_second_apart = 0.40;
    // A message that asks two things gets one answer for each (with_two_questions).
    bool two_questions = true;
    // ... and so does one with two asking clauses and no word opening the second (faq::
    // two_asking_clauses), when each part is answered on its own and the whole message's answer
    // is one of the two.
    bool two_questions_unmarked = true;
    // An answer that leaves part of the question unspoken of gets the runner-up that speaks to
    // it as a second answer (with_complement): the runner-up (hit 2 or 3) within
    // `complement_gap` of the top, at or above `complement_second`, holding at least
    // `complement_share` of the question's idf-weighted words that the answered entry holds
    // nowhere (Index::uncovered_share). 0 for `complement_share` turns it off.
    double complement_share = 0.15;
    double complement_gap = 0.2;
    double complement_second = 0.45;
};

// The thresholds a channel decides with: no two answers below kBothMinBytes; the `_apart` pair
// where two whole answers can go: in a second message, or in one text of kBothWholeBytes or more.
Thresholds channel_thresholds(const Thresholds& thresholds, std::size_t max_bytes, bool follow_up);

enum class Action {
    answer,   // send format_answer(*hits[0].entry, ...)
    both,     // send format_both(*hits[0].entry, *hits[1].entry, ...)
    choices,  // "您是不是想问" with hits numbered 1..n (at most 3)
    silence,  // group chat, not @-mentioned, not confident: say nothing
    handoff,  // nothing fits: offer the lawyer on duty (律师值班)
};

// answer or both: the reply states what one or two entries say (not a menu, not a handoff).
inline bool answers(Action action) { return action == Action::answer || action == Action::both; }

struct Decision {
    Action action = Action::handoff;
    // answer: the one hit; both: the two; choices: 1..3 hits; otherwise empty
    std::vector<Hit> hits;
    bool offer_lawyer = false;  // answer (or both) of an entry marked handoff: true
    // both: the message asked two things, one answer each (faq::two_questions), not two
    // readings of one question; the reply opens with kTwoQuestionsOpening.
    bool two_questions = false;
};

// A service entry (legal: false) that fits best is never paired with a legal runner-up (answered
// alone, or a menu below `answer`): docs/faq-format.md, "Two answers".
// hits: Index::search results, best first. in_group: the message came from a group chat;
// mentioned: the bot was @-mentioned (always true for 1:1 chats and SMS in practice).
Decision decide(const std::vector<Hit>& hits, const Thresholds& thresholds, bool in_group,
                bool mentioned);

// A message that asks two things (faq::two_questions), each part answered on its own search with
// a different entry: both answers, opened as two questions (Decision::two_questions). Otherwise
// `decision` as it was. Not where the channel takes no two answers (both_gap 0).
Decision with_two_questions(const Index& index, std::string_view text, std::string_view district,
                            const Decision& decision, const Thresholds& thresholds, bool in_group,
                            bool mentioned);

// An answer (Action::answer) whose entry holds nowhere a good part of the question's words, when a
// runner-up holds them (Thresholds::complement_*): both answers, the runner-up second. Otherwise
// `decision` as it was. Not where the channel takes no two answers (both_gap 0). hits: the
// search `decision` was made on.
Decision with_complement(const Index& index, std::string_view text, const std::vector<Hit>& hits,
                         const Decision& decision, const Thresholds& thresholds);

// An answer's sentences, each with its closing mark (。；！？ or a line break; the last may have
// none): what a shortened answer keeps or drops, and what faq::sentences_about picks from.
std::vector<std::string_view> split_sentences(std::string_view text);

// The answer, then "法律依据：《law》article；…", then how to reach a person. When it does not fit
// max_bytes the answer text is shortened so the legal basis and the way to a person survive: to
// its opening sentence and the sentences most relevant to the question (`relevance`, from
// Index::sentence_relevance; "…" for each run left out), or without a relevant sentence at a
// sentence end when possible ("…" marks the cut). The result never exceeds max_bytes and never
// splits a UTF-8 sequence.
std::string format_answer(const Entry& entry, std::size_t max_bytes,
                          const SentenceRelevance& relevance = {});

// An answer for a group chat, where a wall of text pushes the members' own talk off the screen:
// the answer within kGroupAnswerBytes (its opening and the sentences most relevant to the
// question), at most three articles of its legal basis, and kGroupClosing. No second answer and
// no "回复1看全文": a member's "1" is lost among the others' messages.
std::string format_group_answer(const Entry& entry, const SentenceRelevance& relevance = {});

// Two answers in one text: a line saying it may be either, then each answer with its legal
// basis under ① and ②, then how to reach a person once. When they do not fit max_bytes the
// runner-up keeps at least a sixth of the room and the best match the rest; a shortened answer
// keeps what format_answer keeps and ends with "…（回复1看全文）" or "…（回复2看全文）" (the reply
// keeps both entries for that "1" or "2"). With too little room for two answers it is
// format_answer(first, max_bytes, relevance).
// two_questions: opened with kTwoQuestionsOpening (Decision::two_questions).
std::string format_both(const Entry& first, const Entry& second, std::size_t max_bytes,
                        const SentenceRelevance& relevance = {}, bool two_questions = false);

// What an answer or two answers send: format_answer of the one hit, or format_both of the two;
// empty for the other actions.
std::string answer_text(const Decision& decision, std::size_t max_bytes,
                        const SentenceRelevance& relevance = {});

// Two answers as two messages, for a channel that can send a second one after its reply (the
// Official Account's customer-service API): "…分两条发给您…：\n①" with the best match and its
// legal basis, then "②" with the runner-up, its basis and how to reach a person, each within
// max_bytes (a cut still ends with "…（回复1看全文）" / "…（回复2看全文）"). With too little room
// for that it is the one text of format_both.
std::vector<std::string> format_both_apart(const Entry& first, const Entry& second,
                                           std::size_t max_bytes,
                                           const SentenceRelevance& relevance = {},
                                           bool two_questions = false);

// What is sent for an answer or two answers, one text per message: answer_text's one text, or,
// when follow_up allows a second message and answer_text would have to shorten one of two
// answers, format_both_apart's two. Empty for the other actions.
std::vector<std::string> answer_messages(const Decision& decision, std::size_t max_bytes,
                                         const SentenceRelevance& relevance, bool follow_up);

// The Official Account's passive reply, the text most drivers get: an answer whose whole reply
// (whole_reply_bytes) is longer is shortened there.
inline constexpr std::size_t kOneReplyBytes = 2048;

// The bytes of format_answer's text with nothing cut: the answer, its legal basis and the way to
// a person. The editors' form shows it against kOneReplyBytes (docs/admin-api.md).
std::size_t whole_reply_bytes(const Entry& entry);

// The smallest channel limit two answers are sent in; below it Thresholds::both_gap is 0
// (channel_thresholds).
inline constexpr std::size_t kBothMinBytes = 1500;
// A channel limit from which one text holds two whole answers (the WeCom smart robot's stream):
// it pairs as widely as a channel that can send a second message (channel_thresholds).
inline constexpr std::size_t kBothWholeBytes = 4096;

// The line that opens format_both's text.
inline constexpr const char* kBothOpening = "您问的可能是下面两种情况之一，两条都发给您：";
// The line that opens the first of format_both_apart's two messages: the driver knows a second
// one follows, and how to get it if it does not arrive (the reply keeps both entries for "2").
inline constexpr const char* kBothApartOpening =
    "您问的可能是下面两种情况之一，分两条发给您（第二条没收到请回复2）：";
// The same two openings for a message that asked two things (Decision::two_questions).
inline constexpr const char* kTwoQuestionsOpening = "您问了两件事，分别回答：";
inline constexpr const char* kTwoQuestionsApartOpening =
    "您问了两件事，分两条回答（第二条没收到请回复2）：";
// The bytes of a group answer's own text (format_group_answer), about 150 Han characters.
inline constexpr std::size_t kGroupAnswerBytes = 450;
// An answer he asked to have short ("简单点说"): about two hundred characters, the rest one reply
// away (faq::answer_from).
inline constexpr std::size_t kBriefAnswerBytes = 600;
// The closing line of a group answer: the whole answer and a person are in the private chat.
inline constexpr const char* kGroupClosing =
    "群里只说要点：完整的回答、找律师，请加小助手好友私聊我，发同样的问题。";
// The closing line appended to every answer.
inline constexpr const char* kReachPerson =
    "如需人工帮助，请回复\"人工\"或\"找律师\"转律师值班，或拨打职工服务热线12351。";

}  // namespace kayou::faq
