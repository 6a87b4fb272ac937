#include "dialogs/legal_eval.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

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

}  // namespace

std::vector<LegalEvalCase> parse_legal_eval(std::string_view yaml_text) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        throw std::runtime_error("legal eval: " + error.msg);
    }
    if (!root["cases"] || !root["cases"].IsSequence())
        throw std::runtime_error("legal eval: cases must be a list");
    std::vector<LegalEvalCase> cases;
    for (const auto& item : root["cases"]) {
        LegalEvalCase one;
        one.question = item["q"] ? item["q"].as<std::string>() : "";
        one.category = item["category"] ? item["category"].as<std::string>() : "";
        one.in_scope = !(item["expect"] && item["expect"].as<std::string>() == "out_of_scope");
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
        cases.push_back(std::move(one));
    }
    return cases;
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
        LegalOutcome outcome = LegalOutcome::other;
        bool choice_holds_fact = false;
        bool answered_both = false;
        std::string entry;
        double score = 0;
        if (understood.intent == "question") {
            // As faq::answer_from searches it: without plates and phone numbers.
            const std::string plain = faq::without_personal_data_for_search(understood.text);
            const auto hits = index.search(plain, {}, 3);
            const auto channel_thresholds =
                faq::channel_thresholds(thresholds, channel.max_bytes, channel.follow_up);
            // As faq::answer_from decides a question that is no follow-up.
            const auto decision = faq::with_two_questions(
                index, plain, {}, faq::decide(hits, channel_thresholds, false, true),
                channel_thresholds, false, true);
            if (!hits.empty()) {
                entry = hits.front().entry->id;
                score = hits.front().score;
            }
            switch (decision.action) {
                case faq::Action::answer:
                case faq::Action::both: {
                    std::string text;
                    for (const auto& message : faq::answer_messages(
                             decision, channel.max_bytes, index.sentence_relevance(understood.text),
                             channel.follow_up))
                        text += message + "\n";
                    const bool claims_law =
                        std::any_of(decision.hits.begin(), decision.hits.end(),
                                    [](const faq::Hit& hit) { return hit.entry->legal; });
                    if (!item.in_scope)
                        outcome = claims_law ? LegalOutcome::legal_claim : LegalOutcome::kept_out;
                    else
                        outcome =
                            has_facts(text, item.must) ? LegalOutcome::right : LegalOutcome::wrong;
                    answered_both = decision.action == faq::Action::both;
                    break;
                }
                case faq::Action::choices:
                    outcome = item.in_scope ? LegalOutcome::choices : LegalOutcome::kept_out;
                    for (const auto& hit : decision.hits)
                        if (item.in_scope &&
                            has_facts(faq::format_answer(*hit.entry, 4096), item.must))
                            choice_holds_fact = true;
                    break;
                case faq::Action::silence:
                case faq::Action::handoff:
                    outcome = item.in_scope ? LegalOutcome::handoff : LegalOutcome::kept_out;
                    break;
            }
        } else if (!item.in_scope) {
            outcome = LegalOutcome::kept_out;
        } else if (elsewhere) {
            const std::string text = elsewhere(understood);
            if (!text.empty() && has_facts(text, item.must)) outcome = LegalOutcome::right;
        }
        add(result.total, outcome, choice_holds_fact, answered_both);
        add(item.in_scope ? result.in_scope : result.out_of_scope, outcome, choice_holds_fact,
            answered_both);
        add(result.per_category[item.category], outcome, choice_holds_fact, answered_both);
        if (outcome != LegalOutcome::right && outcome != LegalOutcome::kept_out)
            result.misses.push_back(
                {&item, outcome, understood.intent, entry, score, understood.text});
    }
    return result;
}

}  // namespace kayou::dialogs
