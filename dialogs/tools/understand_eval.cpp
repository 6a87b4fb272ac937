// Scores understand() on an eval set (format: docs/understanding.md).
//   understand_eval [--summary] [--intents F] [--legal F] [--districts F] EVAL.yaml...
// Prints top-1 accuracy (intent, and for answers/choices the value too), commands fired from
// inside a longer sentence, per intent the right/total, and the misses. --summary prints the
// figures only: use it for the held-out file, whose cases are never read while tuning.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "dialogs/understand.hpp"
#include "dialogs/understand_eval.hpp"
#include "faq/index.hpp"
#include "faq/intents.hpp"
#include "faq/script.hpp"
#include "members/districts.hpp"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

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
        auto model = faq::IntentModel::build(
            faq::parse_intent_script(read_file(intents_path), intents_path));
        const auto legal = faq::Index::build(faq::parse_script(read_file(legal_path), legal_path));
        const auto districts = members::DistrictCatalog::from_yaml(read_file(districts_path));
        const dialogs::Understander understander(model, &districts);
        for (const auto& path : evals) {
            const auto cases = dialogs::parse_understand_eval(read_file(path));
            const auto result = dialogs::score_understanding(understander, cases, legal.get());
            std::printf("%s: top-1 %d/%d = %.1f%%; commands fired inside a sentence: %d\n",
                        path.c_str(), result.right, result.cases, 100 * result.accuracy(),
                        result.commands_inside_sentences);
            for (const auto& [intent, tally] : result.per_intent)
                std::printf("  %-14s %3d/%3d\n", intent.c_str(), tally.first, tally.second);
            if (summary) continue;
            for (const auto& miss : result.misses) {
                const auto& got = miss.got;
                std::printf("  [%s -> %s value=%s %.2f%s] step=%s %s\n", miss.item->intent.c_str(),
                            got.intent.c_str(), got.slot("value").c_str(), got.confidence,
                            got.command ? " cmd" : "", miss.item->step.c_str(),
                            miss.item->text.c_str());
            }
        }
        return 0;
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
}
