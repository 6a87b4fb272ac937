// faq_eval: measures FAQ retrieval and the answer/choices/handoff decision on a labelled set.
//
//   faq_eval SCRIPT.yaml EVAL.yaml [--sweep] [--quiet] [--set NAME=VALUE]...
//   faq_eval SCRIPT.yaml --ask "question" [--district NAME]
//
// --set changes an IndexOptions or Thresholds field (names in faq/settings.cpp: answer, margin,
// pool, demote, norm=variant|larger|cosine, ...) to compare alternatives without a rebuild.
// --sweep prints outcome rates over a grid of answer/suggest thresholds (how the defaults were
// chosen). Exit status: 0 on success, 1 on bad input.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "faq/decide.hpp"
#include "faq/eval.hpp"
#include "faq/index.hpp"
#include "faq/script.hpp"
#include "faq/settings.hpp"

namespace {

using namespace kayou::faq;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void print_report(const EvalReport& r, const Thresholds& t, bool quiet) {
    std::printf("thresholds: answer %.2f, suggest %.2f, margin %.2f\n", t.answer, t.suggest,
                t.margin);
    std::printf("in-scope questions:      %zu\n", r.in_scope);
    std::printf("top-1 accuracy:          %.1f%% (%zu/%zu)\n", 100 * r.top1_accuracy(), r.top1,
                r.in_scope);
    std::printf("top-3 recall:            %.1f%% (%zu/%zu)\n", 100 * r.top3_recall(), r.top3,
                r.in_scope);
    std::printf("coverage (answer+choices): %.1f%% (%zu/%zu)\n", 100 * r.coverage(), r.covered,
                r.in_scope);
    std::printf("answered directly:       %zu, of which wrong: %zu\n", r.answered,
                r.answered_wrong);
    std::printf("answered with two:       %zu, of which neither expected: %zu\n", r.both,
                r.both_wrong);
    std::printf("choices containing the expected entry: %zu\n", r.choices_with_expected);
    std::printf("out-of-scope questions:  %zu\n", r.out_of_scope);
    std::printf("handoff rate on none:    %.1f%% (%zu/%zu), answered anyway: %zu\n",
                100 * r.none_handoff_rate(), r.none_handoff, r.out_of_scope, r.none_answered);
    if (quiet) return;
    std::printf("\nconfusions (question -> got [score, action] vs expected):\n");
    for (const auto& miss : r.misses) {
        std::string expected;
        for (const auto& id : miss.item->expected) expected += (expected.empty() ? "" : "|") + id;
        std::printf("  line %d: %s -> %s [%.2f, %s] vs %s\n", miss.item->line,
                    miss.item->question.c_str(), miss.got.c_str(), miss.score,
                    std::string(action_name(miss.action)).c_str(),
                    expected.empty() ? "none" : expected.c_str());
    }
}

void sweep(const Index& index, const std::vector<EvalCase>& cases, Thresholds base) {
    std::printf(
        "answer suggest | answered wrong%% | coverage%% | none-handoff%% | none-answered\n");
    for (double answer = 0.35; answer <= 0.801; answer += 0.05) {
        for (double suggest = 0.15; suggest <= answer + 1e-9 && suggest <= 0.451; suggest += 0.05) {
            Thresholds t = base;
            t.answer = answer;
            t.suggest = suggest;
            const auto r = evaluate(index, cases, t);
            const double wrong = r.answered ? 100.0 * r.answered_wrong / r.answered : 0;
            std::printf(
                "  %.2f   %.2f  |  %3zu  %5.1f%%     |  %5.1f%%   |  %5.1f%%       |  %zu\n",
                answer, suggest, r.answered, wrong, 100 * r.coverage(), 100 * r.none_handoff_rate(),
                r.none_answered);
        }
    }
}

void ask(const Index& index, const std::string& question, const std::string& district,
         const Thresholds& thresholds) {
    std::string folded;
    for (const auto& segment : index.analyzer().segments(question)) {
        for (const auto unit : segment) folded += index.analyzer().describe(unit);
        folded += " | ";
    }
    std::printf("units: %s\n", folded.c_str());
    const auto hits = index.search(question, district, 5);
    for (const auto& hit : hits)
        std::printf("  %.3f %s  (variant: %s)\n", hit.score, hit.entry->id.c_str(),
                    hit.entry->questions[hit.variant].c_str());
    const auto decision = decide(hits, thresholds, false, true);
    std::printf("decision: %s\n", std::string(action_name(decision.action)).c_str());
    if (const std::string text = answer_text(decision, 2048); !text.empty())
        std::printf("\n%s\n", text.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> positional;
    IndexOptions options;
    Thresholds thresholds;
    bool do_sweep = false, quiet = false;
    std::string question, district;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--sweep")
            do_sweep = true;
        else if (arg == "--quiet")
            quiet = true;
        else if (arg == "--set" && i + 1 < argc) {
            const std::string error = apply_setting(argv[++i], options, thresholds);
            if (!error.empty()) {
                std::fprintf(stderr, "faq_eval: --set %s\n", error.c_str());
                return 1;
            }
        } else if (arg == "--ask" && i + 1 < argc)
            question = argv[++i];
        else if (arg == "--district" && i + 1 < argc)
            district = argv[++i];
        else
            positional.push_back(arg);
    }
    if (positional.empty() || (positional.size() < 2 && question.empty())) {
        std::fprintf(stderr,
                     "usage: faq_eval SCRIPT.yaml EVAL.yaml [--sweep] [--quiet] [--set k=v]...\n"
                     "       faq_eval SCRIPT.yaml --ask QUESTION [--district NAME]\n");
        return 1;
    }
    try {
        const auto script = parse_script(read_file(positional[0]), positional[0]);
        const auto index = Index::build(script, options);
        std::printf("script %s version %s: %zu entries, %zu variants, %zu terms\n",
                    positional[0].c_str(), script.version.c_str(), script.entries.size(),
                    index->documents(), index->terms());
        if (!question.empty()) {
            ask(*index, question, district, thresholds);
            return 0;
        }
        const auto cases = parse_eval_set(read_file(positional[1]), positional[1], &script);
        if (do_sweep) {
            sweep(*index, cases, thresholds);
            return 0;
        }
        print_report(evaluate(*index, cases, thresholds), thresholds, quiet);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
    return 0;
}
