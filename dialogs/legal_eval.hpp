#pragma once
// The blind legal eval (faq/eval/legal_blind*.yaml, docs/BENCHMARKS.md): driver questions with
// the facts a right answer must contain, scored end to end as kayou answers a private chat:
// understand() first (a question that is not routed to the FAQ is not answered by it), then the
// FAQ's answer / choices / handoff decision. Pure; shared by the legal_eval tool and a test.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/understand.hpp"
#include "faq/decide.hpp"
#include "faq/index.hpp"
#include "faq/legal_service.hpp"

namespace kayou::dialogs {

struct LegalEvalCase {
    std::string question;
    std::string category;
    bool in_scope = true;  // expect: answer (false: out_of_scope)
    // Every group must have one of its alternatives in the answer text.
    std::vector<std::vector<std::string>> must;
};

// The context every legal eval question is asked in: a 1:1 Official Account chat, on the date
// the blind sets were written.
UnderstandContext legal_eval_context();

// Every group of `must` has one of its alternatives in `text`.
bool has_facts(const std::string& text, const std::vector<std::vector<std::string>>& must);

// Throws std::runtime_error on a malformed file.
std::vector<LegalEvalCase> parse_legal_eval(std::string_view yaml_text);

enum class LegalOutcome {
    right,        // answered directly (alone or with one other), every required fact present
    wrong,        // answered directly (confidently) without the facts
    choices,      // numbered choices offered
    handoff,      // the desk offered
    other,        // routed elsewhere (benefits, join, menu, not understood)
    kept_out,     // out of scope and not answered with a legal claim (the right outcome)
    legal_claim,  // out of scope but answered with a legal entry (the worst outcome)
};

struct LegalEvalTally {
    int cases = 0;
    std::map<LegalOutcome, int> outcomes;
    int choices_with_fact = 0;  // choices offered and one of them holds the facts
    int answered_both = 0;      // answered with two entries (right or wrong), faq::Action::both
    int count(LegalOutcome outcome) const {
        auto found = outcomes.find(outcome);
        return found == outcomes.end() ? 0 : found->second;
    }
};

struct LegalEvalResult {
    LegalEvalTally total;         // every case
    LegalEvalTally in_scope;      // expect: answer
    LegalEvalTally out_of_scope;  // expect: out_of_scope
    std::map<std::string, LegalEvalTally> per_category;
    struct Miss {
        const LegalEvalCase* item = nullptr;
        LegalOutcome outcome = LegalOutcome::other;
        std::string intent;
        std::string entry;  // the entry answered or the top choice
        double score = 0;
        std::string text;  // the message as understood: what the FAQ searched
        std::string sent;  // what kayou sent: the answers, or the choices offered
    };
    std::vector<Miss> misses;

    // Right among in-scope cases; out-of-scope cases count as right when kept out.
    double right_rate() const;
    double wrong_rate() const;    // confidently wrong among all cases
    double choices_rate() const;  // choices among all cases
};

// The channel the answers are scored on: a 1:1 Official Account chat by default, whose passive
// reply holds 2,048 bytes and whose customer-service API sends the second of two answers that do
// not fit one text (faq::answer_messages). follow_up false: a channel with one message only (the
// WeCom app, or an Official Account without the API).
struct LegalEvalChannel {
    std::size_t max_bytes = faq::kOneReplyBytes;
    bool follow_up = true;
    // Score the decision's formatted answer only (the scorer before session 31), without what
    // faq::answer_from adds around it (the sum his figures give, a correction, a part asked for).
    bool decision_only = false;
};

// `elsewhere`: what kayou says for a question understood as another intent (the benefit
// catalogue, the join welcome, ...); scored like an answer. May be empty: then such questions
// count as "other".
LegalEvalResult score_legal(const Understander& understander, const faq::Index& index,
                            const faq::Thresholds& thresholds,
                            const std::vector<LegalEvalCase>& cases,
                            const std::function<std::string(const Understanding&)>& elsewhere = {},
                            const LegalEvalChannel& channel = {});

std::string_view outcome_name(LegalOutcome outcome);

// A conversation of the follow-up eval (faq/eval/followups_blind_*.yaml): one driver's messages
// in order, each scored as a case. A turn with `expect: no_legal_claim` ("好的 谢谢", "我再想想")
// is out of scope: right when it gets no legal claim.
struct EvalConversation {
    std::string category;
    std::vector<LegalEvalCase> turns;
};

// Throws std::runtime_error on a malformed file (a conversation needs two turns or more).
std::vector<EvalConversation> parse_conversation_eval(std::string_view yaml_text);

struct ConversationEvalResult {
    LegalEvalTally first;       // the opening messages
    LegalEvalTally follow_ups;  // the later messages with facts: what the set measures
    LegalEvalTally kept;        // the later messages that want no legal claim
    std::map<std::string, LegalEvalTally> per_category;  // the later messages with facts
    struct Miss {
        const EvalConversation* conversation = nullptr;
        std::size_t turn = 0;
        LegalOutcome outcome = LegalOutcome::other;
        std::string intent;
        std::vector<std::string> entries;  // answered or offered
        std::string text;                  // what was sent
        // How each earlier turn went: "right work_injury_scope (question)".
        std::vector<std::string> before;
    };
    std::vector<Miss> misses;  // later messages only
};

// Each conversation as a private chat holds it (RouterDialog::answer_legal): understand() first;
// a question goes to faq::answer_from with the topic of his earlier messages and the entries
// answered the turn before, when that turn was a legal answer; another intent gets `elsewhere`'s
// text and ends the legal topic.
ConversationEvalResult score_conversations(
    const Understander& understander, const std::shared_ptr<const faq::Index>& index,
    const faq::Thresholds& thresholds, const std::vector<EvalConversation>& conversations,
    const std::function<std::string(const Understanding&)>& elsewhere = {},
    const LegalEvalChannel& channel = {});

}  // namespace kayou::dialogs
