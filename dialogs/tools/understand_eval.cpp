// Scores understand() on an eval set (format: faq/eval/understand.yaml, docs/understanding.md).
//   understand_eval [--summary] [--intents FILE] [--legal FILE] [--districts FILE] EVAL.yaml...
// Prints top-1 accuracy (intent, and for answers/choices the value too), commands fired from
// inside a longer sentence, and per intent the misses. --summary prints the figures only: use it
// for the held-out file, whose cases are never read while tuning.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dialogs/districts.hpp"
#include "dialogs/understand.hpp"
#include "faq/index.hpp"
#include "faq/intents.hpp"
#include "faq/script.hpp"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string scalar(const YAML::Node& node, const char* key, std::string fallback = "") {
    const auto value = node[key];
    return value && value.IsScalar() ? value.Scalar() : fallback;
}

// The eval names the code step "code"; the flow's validator is "sms_code".
std::string step_validator(const std::string& step) {
    if (step == "none" || step.empty()) return "";
    if (step == "code") return "sms_code";
    return step;
}

struct Tally {
    int cases = 0, right = 0;
};

}  // namespace

int main(int argc, char** argv) {
    using namespace kayou;
    std::string intents_path = KAYOU_DATA_SOURCE_DIR "/faq/data/intents.yaml";
    std::string legal_path = KAYOU_DATA_SOURCE_DIR "/faq/data/legal.yaml";
    std::string districts_path = KAYOU_DATA_SOURCE_DIR "/config/districts.yaml";
    bool summary = false;
    std::vector<std::string> evals;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--summary")
            summary = true;
        else if (arg == "--intents" && i + 1 < argc)
            intents_path = argv[++i];
        else if (arg == "--legal" && i + 1 < argc)
            legal_path = argv[++i];
        else if (arg == "--districts" && i + 1 < argc)
            districts_path = argv[++i];
        else
            evals.push_back(arg);
    }
    if (evals.empty()) {
        std::cerr << "usage: understand_eval [--summary] [--intents F] [--legal F] "
                     "[--districts F] EVAL.yaml...\n";
        return 2;
    }
    try {
        auto model = faq::IntentModel::build(faq::parse_intent_script(read_file(intents_path),
                                                                      intents_path));
        const auto legal = faq::Index::build(faq::parse_script(read_file(legal_path), legal_path));
        const auto districts = dialogs::DistrictCatalog::from_yaml(read_file(districts_path));
        const dialogs::Understander understander(model, &districts);
        int exit_code = 0;
        for (const auto& path : evals) {
            const YAML::Node root = YAML::Load(read_file(path));
            Tally total;
            int inside_sentence = 0;
            std::map<std::string, Tally> per_intent;
            std::map<std::string, std::vector<std::string>> misses;
            for (const auto& item : root["cases"]) {
                const std::string text = scalar(item, "text");
                const std::string expected = scalar(item, "intent");
                const YAML::Node context_node = item["context"];
                dialogs::UnderstandContext context;
                context.channel = scalar(context_node, "channel", "oa");
                context.in_group = scalar(context_node, "chat") == "group";
                context.mentioned = scalar(context_node, "mentioned") == "true";
                context.step = step_validator(scalar(context_node, "step"));
                context.application = scalar(context_node, "application", "none");
                context.offered = std::stoi(scalar(context_node, "offered", "0"));
                context.today = 20261203;
                const auto got = understander.understand(text, context, legal.get());
                bool right = got.intent == expected;
                const YAML::Node slots = item["slots"];
                if (right && expected == "answer" && slots && slots["value"])
                    right = got.slot("value") == slots["value"].as<std::string>();
                if (right && expected == "choice" && slots && slots["number"])
                    right = got.slot("number") == slots["number"].as<std::string>();
                ++total.cases;
                ++per_intent[expected].cases;
                if (right) {
                    ++total.right;
                    ++per_intent[expected].right;
                } else {
                    if (got.command) ++inside_sentence;
                    std::string line = "  [" + expected + " -> " + got.intent;
                    if (expected == "answer" || got.intent == "answer")
                        line += " value=" + got.slot("value");
                    char score[32];
                    std::snprintf(score, sizeof score, " %.2f", got.confidence);
                    line += std::string(score) + (got.command ? " cmd" : "") + "] step=" +
                            scalar(context_node, "step") + " " + text;
                    misses[expected].push_back(line);
                }
            }
            std::printf("%s: top-1 %d/%d = %.1f%%; commands fired inside a sentence: %d\n",
                        path.c_str(), total.right, total.cases,
                        total.cases ? 100.0 * total.right / total.cases : 0.0, inside_sentence);
            for (const auto& [intent, tally] : per_intent)
                std::printf("  %-14s %3d/%3d\n", intent.c_str(), tally.right, tally.cases);
            if (!summary)
                for (const auto& [intent, lines] : misses)
                    for (const auto& line : lines) std::printf("%s\n", line.c_str());
            if (total.cases == 0) exit_code = 1;
        }
        return exit_code;
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
}
