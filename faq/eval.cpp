#include "faq/eval.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace kayou::faq {
namespace {

int line_of(const YAML::Node& node) {
    const int line = node.Mark().line;
    return line < 0 ? 0 : line + 1;
}

}  // namespace

std::vector<EvalCase> parse_eval_set(std::string_view yaml_text, std::string_view source_name,
                                     const Script* script) {
    const std::string source(source_name);
    std::vector<ScriptProblem> problems;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        throw ScriptError(source, {{error.mark.line + 1, "YAML syntax error: " + error.msg}});
    }
    if (!root.IsMap() || !root["cases"] || !root["cases"].IsSequence())
        throw ScriptError(source, {{1, "an evaluation set is a map with a list of cases"}});

    std::vector<EvalCase> cases;
    for (const auto& node : root["cases"]) {
        EvalCase item;
        item.line = line_of(node);
        if (!node.IsMap() || !node["q"] || !node["q"].IsScalar() || node["q"].Scalar().empty()) {
            problems.push_back({item.line, "a case needs a question q"});
            continue;
        }
        item.question = node["q"].Scalar();
        if (const auto district = node["district"]; district && district.IsScalar())
            item.district = district.Scalar();
        const auto expected = node["expected"];
        if (!expected) {
            problems.push_back({item.line, "a case needs expected (an entry id or none)"});
            continue;
        }
        if (expected.IsScalar()) {
            if (expected.Scalar() != "none") item.expected.push_back(expected.Scalar());
        } else if (expected.IsSequence()) {
            for (const auto& id : expected)
                if (id.IsScalar()) item.expected.push_back(id.Scalar());
        } else {
            problems.push_back({item.line, "expected must be an id, a list of ids or none"});
            continue;
        }
        if (script != nullptr) {
            for (const auto& id : item.expected)
                if (script->find(id) == nullptr)
                    problems.push_back(
                        {item.line, "expected id '" + id + "' is not in " + script->source});
        }
        for (const auto& key : node) {
            const auto name = key.first.Scalar();
            if (name != "q" && name != "expected" && name != "district")
                problems.push_back({line_of(key.first), "unknown key '" + name + "' in a case"});
        }
        cases.push_back(std::move(item));
    }
    if (!problems.empty()) throw ScriptError(source, std::move(problems));
    return cases;
}

EvalReport evaluate(const Index& index, const std::vector<EvalCase>& cases,
                    const Thresholds& thresholds) {
    EvalReport report;
    for (const auto& item : cases) {
        const auto hits = index.search(item.question, item.district, 3);
        const auto decision = decide(hits, thresholds, /*in_group=*/false, /*mentioned=*/true);
        auto is_expected = [&](const Hit& hit) {
            return std::find(item.expected.begin(), item.expected.end(), hit.entry->id) !=
                   item.expected.end();
        };
        EvalMiss miss{&item, hits.empty() ? "-" : hits.front().entry->id,
                      hits.empty() ? 0.0 : hits.front().score, decision.action};
        if (item.expected.empty()) {
            ++report.out_of_scope;
            if (decision.action == Action::handoff) {
                ++report.none_handoff;
            } else {
                if (answers(decision.action)) ++report.none_answered;
                report.misses.push_back(miss);
            }
            continue;
        }
        ++report.in_scope;
        const bool top1 = !hits.empty() && is_expected(hits.front());
        report.top1 += top1;
        report.top3 += std::any_of(hits.begin(), hits.end(), is_expected);
        if (answers(decision.action) || decision.action == Action::choices) ++report.covered;
        if (decision.action == Action::answer) {
            ++report.answered;
            report.answered_wrong += !is_expected(decision.hits.front());
        }
        if (decision.action == Action::both) {
            ++report.both;
            report.both_wrong +=
                std::none_of(decision.hits.begin(), decision.hits.end(), is_expected);
        }
        if (decision.action == Action::choices &&
            std::any_of(decision.hits.begin(), decision.hits.end(), is_expected))
            ++report.choices_with_expected;
        if (!top1) report.misses.push_back(miss);
    }
    return report;
}

std::string_view action_name(Action action) {
    switch (action) {
        case Action::answer:
            return "answer";
        case Action::both:
            return "both";
        case Action::choices:
            return "choices";
        case Action::silence:
            return "silence";
        case Action::handoff:
            return "handoff";
    }
    return "?";
}

}  // namespace kayou::faq
