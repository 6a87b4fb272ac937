#pragma once
// Scoring understand() on an eval set (faq/eval/understand*.yaml, format in
// docs/understanding.md): shared by the understand_eval tool and the test that keeps the figures
// from regressing. Pure: the caller reads the files.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/understand.hpp"

namespace kayou::dialogs {

struct UnderstandEvalCase {
    std::string text;
    UnderstandContext context;
    std::string step;  // as the eval names it (none, name, ..., code, confirm)
    std::string intent;
    std::map<std::string, std::string> slots;
};

struct UnderstandEvalMiss {
    const UnderstandEvalCase* item = nullptr;
    Understanding got;
};

struct UnderstandEvalResult {
    int cases = 0;
    int right = 0;
    // Misses where a command word fired although the message said something else.
    int commands_inside_sentences = 0;
    std::map<std::string, std::pair<int, int>> per_intent;  // intent -> (right, cases)
    std::vector<UnderstandEvalMiss> misses;
    double accuracy() const { return cases ? static_cast<double>(right) / cases : 0; }
};

// Throws std::runtime_error on a malformed file.
std::vector<UnderstandEvalCase> parse_understand_eval(std::string_view yaml_text);

// Right: the intent matches and, for answers and choices, the value too (a wrong value typed at
// the step counts when its letters and digits are the expected ones: kayou then says what is
// wrong with it, which is the right behaviour for the set's made-up ID numbers).
UnderstandEvalResult score_understanding(const Understander& understander,
                                         const std::vector<UnderstandEvalCase>& cases,
                                         const faq::Index* legal);

}  // namespace kayou::dialogs
