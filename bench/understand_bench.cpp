// understand_bench: the cost of the understanding step per message (docs/BENCHMARKS.md).
//
//   understand_bench [--rounds R] [--legal F] EVAL.yaml...
//
// Runs every message of the eval files through understand() (the shipped intent script, the
// shipped FAQ index for the "question" evidence, the districts) R times (default 50) and prints
// the per-message latency percentiles in microseconds. Only texts and contexts are used, never
// the labels: the held-out file may be timed without being read.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/latency.hpp"
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
    using Clock = std::chrono::steady_clock;
    int rounds = 50;
    std::string legal_path = KAYOU_SOURCE_DIR "/faq/data/legal.yaml";
    std::vector<std::string> evals;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else if (arg == "--legal" && i + 1 < argc)
            legal_path = argv[++i];
        else
            evals.push_back(arg);
    }
    if (evals.empty()) evals.push_back(KAYOU_SOURCE_DIR "/faq/eval/understand.yaml");
    try {
        const auto model = faq::IntentModel::build(faq::parse_intent_script(
            read_file(KAYOU_SOURCE_DIR "/faq/data/intents.yaml"), "intents.yaml"));
        const auto legal = faq::Index::build(faq::parse_script(read_file(legal_path), legal_path));
        const auto districts = members::DistrictCatalog::from_yaml(
            read_file(KAYOU_SOURCE_DIR "/config/districts.yaml"));
        const dialogs::Understander understander(model, &districts);
        std::vector<dialogs::UnderstandEvalCase> cases;
        for (const auto& path : evals) {
            auto more = dialogs::parse_understand_eval(read_file(path));
            cases.insert(cases.end(), more.begin(), more.end());
        }
        // Wall time, and this thread's CPU time: on a shared 2-core machine a preemption lands in
        // the wall-time tail; the CPU time is what the step itself costs.
        std::vector<double> wall, cpu;
        wall.reserve(cases.size() * static_cast<std::size_t>(rounds));
        cpu.reserve(wall.capacity());
        // Each message's cheapest round: its own cost with the noise of a shared machine removed.
        std::vector<double> best(cases.size(), 1e18);
        std::size_t sink = 0;
        for (int round = 0; round < rounds; ++round)
            for (std::size_t i = 0; i < cases.size(); ++i) {
                const auto& item = cases[i];
                timespec cpu_start{}, cpu_end{};
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
                const auto start = Clock::now();
                const auto got = understander.understand(item.text, item.context, legal.get());
                const auto end = Clock::now();
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
                sink += got.intent.size();
                wall.push_back(std::chrono::duration<double, std::micro>(end - start).count());
                cpu.push_back((cpu_end.tv_sec - cpu_start.tv_sec) * 1e6 +
                              (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e3);
                best[i] = std::min(best[i], cpu.back());
            }
        std::sort(best.begin(), best.end());
        std::sort(wall.begin(), wall.end());
        std::sort(cpu.begin(), cpu.end());
        std::printf("understand(): %zu messages x %d rounds, FAQ index %zu documents (%zu)\n",
                    cases.size(), rounds, legal->documents(), sink % 10);
        for (const auto& [name, samples] :
             {std::pair{"wall", &wall}, std::pair{"cpu ", &cpu}, std::pair{"best", &best}})
            std::printf("  %s p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n", name,
                        bench::percentile(*samples, 0.5), bench::percentile(*samples, 0.9),
                        bench::percentile(*samples, 0.99), samples->back());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
