#include "dialogs/legal_eval.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

#include "dialogs/chat_requests.hpp"
#include "dialogs/route.hpp"
#include "faq/follow_up.hpp"
#include "faq/scrub.hpp"

namespace kayou::dialogs {

UnderstandContext legal_eval_context() {
    UnderstandContext context;
    context.channel = "oa";
    context.today = 20261203;
    return context;
}

bool has_facts(const std::string& text, const std::vector<std::vector<std::string>>& must) {
    for (const auto& group : must) {
        bool found = false;
        for (const auto& alternative : group)
            if (text.find(alternative) != std::string::npos) found = true;
        if (!found) return false;
    }
    return true;
}

namespace {

void add(LegalEvalTally& tally, LegalOutcome outcome, bool choice_holds_fact, bool answered_both) {
    ++tally.cases;
    ++tally.outcomes[outcome];
    if (choice_holds_fact) ++tally.choices_with_fact;
    if (answered_both) ++tally.answered_both;
}

// How one reply scores against its case.
struct ScoredReply {
    LegalOutcome outcome = LegalOutcome::other;
    bool choice_holds_fact = false;
    bool answered_both = false;
    bool legal_answer = false;  // answered with a legal entry
};

void add(LegalEvalTally& tally, const ScoredReply& scored) {
    add(tally, scored.outcome, scored.choice_holds_fact, scored.answered_both);
}

// The FAQ's reply: its action, the entries it answered with or offered (null: an entry gone from
// the script, counted as legal) and the text sent.
ScoredReply score_reply(faq::Action action, const std::vector<const faq::Entry*>& entries,
                        const std::string& text, const LegalEvalCase& item) {
    ScoredReply scored;
    switch (action) {
        case faq::Action::answer:
        case faq::Action::both:
            scored.legal_answer =
                std::any_of(entries.begin(), entries.end(),
                            [](const faq::Entry* entry) { return !entry || entry->legal; });
            if (!item.in_scope)
                scored.outcome =
                    scored.legal_answer ? LegalOutcome::legal_claim : LegalOutcome::kept_out;
            else
                scored.outcome =
                    has_facts(text, item.must) ? LegalOutcome::right : LegalOutcome::wrong;
            scored.answered_both = action == faq::Action::both;
            break;
        case faq::Action::choices:
            scored.outcome = item.in_scope ? LegalOutcome::choices : LegalOutcome::kept_out;
            for (const faq::Entry* entry : entries)
                if (entry && item.in_scope &&
                    has_facts(faq::format_answer(*entry, 4096), item.must))
                    scored.choice_holds_fact = true;
            break;
        case faq::Action::silence:
        case faq::Action::handoff:
            scored.outcome = item.in_scope ? LegalOutcome::handoff : LegalOutcome::kept_out;
            break;
    }
    return scored;
}

// A reply of faq::answer_from as the chat sends it (its texts, then its follow-ups, into `text`),
// scored with the entries it answered or offered.
ScoredReply score_sent(const faq::LegalReply& reply, const faq::Index& index,
                       const LegalEvalCase& item, std::string& text) {
    for (const auto& message : reply.texts) text += message + "\n";
    for (const auto& message : reply.follow_ups) text += message + "\n";
    std::vector<const faq::Entry*> entries;
    for (const auto& id : reply.entry_ids) entries.push_back(index.script().find(id));
    return score_reply(reply.action, entries, text, item);
}

// A question routed away from the FAQ: what kayou says there (`elsewhere`, into `text`) counts
// when it holds the facts.
ScoredReply score_elsewhere(const Understanding& understood, const LegalEvalCase& item,
                            const std::function<std::string(const Understanding&)>& elsewhere,
                            std::string& text) {
    ScoredReply scored;
    scored.outcome = item.in_scope ? LegalOutcome::other : LegalOutcome::kept_out;
    if (elsewhere) text = elsewhere(understood);
    if (item.in_scope && !text.empty() && has_facts(text, item.must))
        scored.outcome = LegalOutcome::right;
    return scored;
}

}  // namespace

namespace {

YAML::Node load_eval(std::string_view yaml_text, const char* list) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        throw std::runtime_error("legal eval: " + error.msg);
    }
    if (!root[list] || !root[list].IsSequence())
        throw std::runtime_error(std::string("legal eval: ") + list + " must be a list");
    return root[list];
}

// One question: q, must, and expect (out_of_scope in a case, no_legal_claim in a conversation's
// turn: either means no legal claim is the right reply).
LegalEvalCase case_from(const YAML::Node& item, std::string category) {
    LegalEvalCase one;
    one.question = item["q"] ? item["q"].as<std::string>() : "";
    one.category = item["category"] ? item["category"].as<std::string>() : std::move(category);
    const std::string expect = item["expect"] ? item["expect"].as<std::string>() : "";
    one.in_scope = expect != "out_of_scope" && expect != "no_legal_claim";
    if (const auto must = item["must"]; must && must.IsSequence())
        for (const auto& group : must) {
            std::vector<std::string> alternatives;
            if (group.IsSequence())
                for (const auto& alternative : group)
                    alternatives.push_back(alternative.as<std::string>());
            else
                alternatives.push_back(group.as<std::string>());
            one.must.push_back(std::move(alternatives));
        }
    if (one.question.empty()) throw std::runtime_error("legal eval: a case without q");
    return one;
}

}  // namespace

std::vector<LegalEvalCase> parse_legal_eval(std::string_view yaml_text) {
    std::vector<LegalEvalCase> cases;
    for (const auto& item : load_eval(yaml_text, "cases")) cases.push_back(case_from(item, ""));
    return cases;
}

std::vector<EvalConversation> parse_conversation_eval(std::string_view yaml_text) {
    std::vector<EvalConversation> conversations;
    for (const auto& item : load_eval(yaml_text, "conversations")) {
        EvalConversation conversation;
        conversation.category = item["category"] ? item["category"].as<std::string>() : "";
        if (!item["turns"] || !item["turns"].IsSequence() || item["turns"].size() < 2)
            throw std::runtime_error("legal eval: a conversation needs two turns or more");
        for (const auto& turn : item["turns"])
            conversation.turns.push_back(case_from(turn, conversation.category));
        conversations.push_back(std::move(conversation));
    }
    return conversations;
}

std::string_view outcome_name(LegalOutcome outcome) {
    switch (outcome) {
        case LegalOutcome::right:
            return "right";
        case LegalOutcome::wrong:
            return "wrong";
        case LegalOutcome::choices:
            return "choices";
        case LegalOutcome::handoff:
            return "handoff";
        case LegalOutcome::other:
            return "other";
        case LegalOutcome::kept_out:
            return "kept_out";
        case LegalOutcome::legal_claim:
            return "legal_claim";
    }
    return "other";
}

double LegalEvalResult::right_rate() const {
    return in_scope.cases ? double(in_scope.count(LegalOutcome::right)) / in_scope.cases : 0;
}
double LegalEvalResult::wrong_rate() const {
    return total.cases
               ? double(total.count(LegalOutcome::wrong) + total.count(LegalOutcome::legal_claim)) /
                     total.cases
               : 0;
}
double LegalEvalResult::choices_rate() const {
    return total.cases ? double(total.count(LegalOutcome::choices)) / total.cases : 0;
}

LegalEvalResult score_legal(const Understander& understander, const faq::Index& index,
                            const faq::Thresholds& thresholds,
                            const std::vector<LegalEvalCase>& cases,
                            const std::function<std::string(const Understanding&)>& elsewhere,
                            const LegalEvalChannel& channel) {
    LegalEvalResult result;
    const UnderstandContext context = legal_eval_context();
    for (const auto& item : cases) {
        const auto understood = understander.understand(item.question, context, &index);
        ScoredReply scored;
        std::string entry;
        double score = 0;
        std::string sent;  // what the driver got
        if (understood.intent == "question" && !channel.decision_only) {
            // What the driver is sent: faq::answer_from, as the chat asks it for a first message.
            faq::LegalQuestion question;
            question.text = understood.text;
            question.follow_up = channel.follow_up;
            question.max_bytes = channel.max_bytes;
            question.today = context.today;
            // Not owned: `index` outlives the call.
            const std::shared_ptr<const faq::Index> shared(std::shared_ptr<const faq::Index>{},
                                                           &index);
            const faq::LegalReply reply = faq::answer_from(shared, 1, question, thresholds);
            if (!reply.hits.empty()) {
                entry = reply.hits.front().entry->id;
                score = reply.hits.front().score;
            }
            scored = score_sent(reply, index, item, sent);
        } else if (understood.intent == "question") {
            // As faq::answer_from searches it: without plates and phone numbers.
            const std::string plain = faq::without_personal_data_for_search(understood.text);
            const auto hits = index.search(plain, {}, 3);
            const auto channel_thresholds =
                faq::channel_thresholds(thresholds, channel.max_bytes, channel.follow_up);
            // As faq::answer_from decides a question that is no follow-up.
            const auto decision = faq::with_complement(
                index, plain, hits,
                faq::with_two_questions(index, plain, {},
                                        faq::decide(hits, channel_thresholds, false, true),
                                        channel_thresholds, false, true),
                channel_thresholds);
            if (!hits.empty()) {
                entry = hits.front().entry->id;
                score = hits.front().score;
            }
            if (faq::answers(decision.action))
                for (const auto& message : faq::answer_messages(
                         decision, channel.max_bytes, index.sentence_relevance(understood.text),
                         channel.follow_up))
                    sent += message + "\n";
            std::vector<const faq::Entry*> entries;
            for (const auto& hit : decision.hits) entries.push_back(hit.entry);
            scored = score_reply(decision.action, entries, sent, item);
        } else {
            scored = score_elsewhere(understood, item, elsewhere, sent);
        }
        const LegalOutcome outcome = scored.outcome;
        add(result.total, scored);
        add(item.in_scope ? result.in_scope : result.out_of_scope, scored);
        add(result.per_category[item.category], scored);
        if (outcome != LegalOutcome::right && outcome != LegalOutcome::kept_out)
            result.misses.push_back(
                {&item, outcome, understood.intent, entry, score, understood.text, sent});
    }
    return result;
}

namespace {

// What one turn of a conversation got, as the chat would send it.
struct TurnReply {
    ScoredReply scored;
    bool legal_context = false;         // faq::leaves_legal_context, as the chat keeps it
    std::vector<std::string> entries;   // answered or offered
    std::vector<std::string> answered;  // answered (the next follow-up's answered_before)
    std::string text;
};

TurnReply ask_in_conversation(const std::shared_ptr<const faq::Index>& index,
                              const faq::Thresholds& thresholds, const LegalEvalCase& turn,
                              const std::vector<std::string>& earlier, bool legal_context,
                              const std::vector<std::string>& answered_before,
                              const LegalEvalChannel& channel) {
    faq::LegalQuestion question;
    question.text = turn.question;
    if (const auto asked = after_new_question_lead(turn.question); !asked.empty())
        question.text = std::string(asked);
    question.follow_up = channel.follow_up;
    question.max_bytes = channel.max_bytes;
    question.answered_before = answered_before;
    if (legal_context || !answered_before.empty())
        question.topic = faq::topic_of(std::span(earlier.data(), earlier.size()));
    const faq::LegalReply reply = faq::answer_from(index, 1, question, thresholds);
    TurnReply got;
    got.entries = reply.entry_ids;
    got.scored = score_sent(reply, *index, turn, got.text);
    if (faq::answers(reply.action)) got.answered = reply.entry_ids;
    got.legal_context = faq::leaves_legal_context(reply);
    return got;
}

}  // namespace

ConversationEvalResult score_conversations(
    const Understander& understander, const std::shared_ptr<const faq::Index>& index,
    const faq::Thresholds& thresholds, const std::vector<EvalConversation>& conversations,
    const std::function<std::string(const Understanding&)>& elsewhere,
    const LegalEvalChannel& channel) {
    ConversationEvalResult result;
    const UnderstandContext context = legal_eval_context();
    for (const auto& conversation : conversations) {
        std::vector<std::string> earlier;   // his messages before this one
        bool legal_context = false;         // the turn before was the FAQ's
        std::vector<std::string> before;    // how the earlier turns went
        std::vector<std::string> answered;  // the entries it answered
        for (std::size_t i = 0; i < conversation.turns.size(); ++i) {
            const LegalEvalCase& turn = conversation.turns[i];
            const auto understood = understander.understand(turn.question, context, index.get());
            // As RouterDialog routes a private message outside the join form.
            RouteView view;
            view.legal_context = legal_context;
            view.asks = asks_or_follows_up(turn.question);
            TurnReply got;
            if (route(understood, view).action == Do::legal)
                got = ask_in_conversation(index, thresholds, turn, earlier, legal_context, answered,
                                          channel);
            else
                got.scored = score_elsewhere(understood, turn, elsewhere, got.text);
            legal_context = got.legal_context;
            answered = got.answered;
            std::string went(outcome_name(got.scored.outcome));
            for (const auto& entry : got.entries) went += " " + entry;
            before.push_back(went + " (" + understood.intent + ")");
            earlier.push_back(turn.question);
            LegalEvalTally& tally =
                i == 0 ? result.first : (turn.in_scope ? result.follow_ups : result.kept);
            add(tally, got.scored);
            if (i > 0 && turn.in_scope) add(result.per_category[conversation.category], got.scored);
            // A later message that missed its facts, or got a legal claim it did not want.
            const LegalOutcome outcome = got.scored.outcome;
            const bool missed = turn.in_scope ? outcome != LegalOutcome::right
                                              : outcome == LegalOutcome::legal_claim;
            if (i > 0 && missed)
                result.misses.push_back(
                    {&conversation, i, outcome, understood.intent, got.entries, got.text, before});
        }
    }
    return result;
}

}  // namespace kayou::dialogs
