#pragma once
// Evaluation of retrieval + decision against a labelled question set (faq/data/eval.yaml). Used by
// the faq_eval tool and by a unit test that keeps the shipped numbers from regressing.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "faq/decide.hpp"
#include "faq/index.hpp"

namespace kayou::faq {

struct EvalCase {
    std::string question;
    std::vector<std::string> expected;  // acceptable entry ids; empty = out of scope ("none")
    std::string district;
    int line = 0;
};

// Format: {version, cases: [{q, expected: id | [ids] | none, district?}]}. Throws ScriptError
// (with line numbers) for a malformed file or, when script is given, for unknown expected ids.
std::vector<EvalCase> parse_eval_set(std::string_view yaml_text, std::string_view source_name,
                                     const Script* script = nullptr);

struct EvalMiss {
    const EvalCase* item = nullptr;
    std::string got;  // top-1 id or "-" for no hit
    double score = 0;
    Action action = Action::handoff;
};

struct EvalReport {
    std::size_t in_scope = 0;               // cases with an expected entry
    std::size_t out_of_scope = 0;           // expected: none
    std::size_t top1 = 0;                   // top hit is expected
    std::size_t top3 = 0;                   // expected among the top 3
    std::size_t covered = 0;                // in scope and answered (one or two) or choices
    std::size_t answered = 0;               // in scope, action answer
    std::size_t answered_wrong = 0;         // in scope, action answer, wrong entry
    std::size_t both = 0;                   // in scope, action both (two answers)
    std::size_t both_wrong = 0;             // in scope, action both, neither expected
    std::size_t choices_with_expected = 0;  // choices offered and expected among them
    std::size_t none_handoff = 0;           // out of scope and handed off
    std::size_t none_answered = 0;  // out of scope but answered, alone or with another (the worst)
    std::vector<EvalMiss> misses;   // top-1 wrong (in scope) or not handed off (out of scope)

    double top1_accuracy() const { return in_scope ? double(top1) / in_scope : 0; }
    double top3_recall() const { return in_scope ? double(top3) / in_scope : 0; }
    double coverage() const { return in_scope ? double(covered) / in_scope : 0; }
    double none_handoff_rate() const {
        return out_of_scope ? double(none_handoff) / out_of_scope : 0;
    }
};

// Runs every case as a private (1:1) chat question.
EvalReport evaluate(const Index& index, const std::vector<EvalCase>& cases,
                    const Thresholds& thresholds);

std::string_view action_name(Action action);

}  // namespace kayou::faq
