// faq_bench: retrieval latency on a synthetic large script.
//
//   faq_bench SCRIPT.yaml EVAL.yaml [--entries N] [--rounds R]
//
// Builds an N-entry script (default 5000) from the real entries: each synthetic entry copies a
// real one with its question variants rewritten (synonym swaps, driver-style prefixes and
// suffixes, a district or a number mixed in) so postings grow like a real large FAQ would, not
// like N copies of the same text. Then runs every eval question R times (default 20) and prints
// build time and per-query latency percentiles. Timing lives here, never in the unit tests.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "faq/eval.hpp"
#include "faq/index.hpp"
#include "faq/script.hpp"

namespace {

using namespace kayou::faq;
using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

Script synthesize(const Script& real, std::size_t size, std::mt19937& rng) {
    static const std::vector<std::string> kPrefixes = {
        "", "请问", "师傅们", "俺想问下", "兄弟们", "老哥", "咨询一下", "急", "在线等"};
    static const std::vector<std::string> kSuffixes = {"",     "谢谢",     "急急急",   "在线等",
                                                       "咋整", "怎么办啊", "有懂的吗", "求助"};
    static const std::vector<std::string> kPlaces = {"在高速上", "在服务区", "在货场", "在仓库门口",
                                                     "在国道上", "在县城",   "在厂里", "在物流园"};
    Script out;
    out.version = real.version + "-synthetic";
    out.source = "synthetic";
    out.synonyms = real.synonyms;
    out.corrections = real.corrections;
    out.entries.reserve(size);
    std::uniform_int_distribution<int> percent(0, 99);
    for (std::size_t i = 0; i < size; ++i) {
        Entry entry = real.entries[i % real.entries.size()];
        entry.id += "_" + std::to_string(i);
        for (auto& question : entry.questions) {
            // Swap a synonym for another member of its group.
            for (const auto& group : real.synonyms) {
                if (percent(rng) >= 15) continue;
                const auto& from = group[rng() % group.size()];
                if (question.find(from) == std::string::npos) continue;
                replace_all(question, from, group[rng() % group.size()]);
            }
            question = kPrefixes[rng() % kPrefixes.size()] + question;
            if (percent(rng) < 50) question.insert(0, kPlaces[rng() % kPlaces.size()]);
            if (percent(rng) < 30) question += std::to_string(1 + rng() % 30) + "号";
            question += kSuffixes[rng() % kSuffixes.size()];
            question += "（" + std::to_string(i) + "）";  // keeps variants unique across copies
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(p * (values.size() - 1) + 0.5);
    return values[std::min(rank, values.size() - 1)];
}

void measure(const char* label, const Index& index, const std::vector<EvalCase>& cases,
             int rounds) {
    // Wall time includes being preempted by other processes on a shared machine; thread CPU
    // time is the cost of the search itself. Both are reported.
    std::vector<double> micros, cpu_micros;
    micros.reserve(cases.size() * rounds);
    cpu_micros.reserve(cases.size() * rounds);
    std::size_t sink = 0;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& item : cases) {
            timespec cpu_start{}, cpu_end{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
            const auto start = Clock::now();
            const auto hits = index.search(item.question, item.district, 3);
            const auto end = Clock::now();
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
            sink += hits.size();
            micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
            cpu_micros.push_back((cpu_end.tv_sec - cpu_start.tv_sec) * 1e6 +
                                 (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e3);
        }
    }
    std::printf(
        "%-10s %6zu entries %7zu variants %7zu terms | %zu queries: p50 %.1f us, p90 %.1f us, "
        "p99 %.1f us, max %.1f us (hits %zu)\n",
        label, index.script().entries.size(), index.documents(), index.terms(), micros.size(),
        percentile(micros, 0.5), percentile(micros, 0.9), percentile(micros, 0.99),
        percentile(micros, 1.0), sink);
    std::printf("%-10s thread CPU time: p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us\n", "",
                percentile(cpu_micros, 0.5), percentile(cpu_micros, 0.9),
                percentile(cpu_micros, 0.99), percentile(cpu_micros, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> positional;
    std::size_t entries = 5000;
    int rounds = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--entries" && i + 1 < argc)
            entries = std::strtoul(argv[++i], nullptr, 10);
        else if (arg == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else
            positional.push_back(arg);
    }
    if (positional.size() != 2 || entries == 0 || rounds <= 0) {
        std::fprintf(stderr, "usage: faq_bench SCRIPT.yaml EVAL.yaml [--entries N] [--rounds R]\n");
        return 1;
    }
    try {
        const auto real = parse_script(read_file(positional[0]), positional[0]);
        const auto cases = parse_eval_set(read_file(positional[1]), positional[1], &real);
        std::mt19937 rng(20250101);  // fixed seed: the same synthetic script on every run

        auto start = Clock::now();
        const auto real_index = Index::build(real);
        const double real_build =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        const auto synthetic = synthesize(real, entries, rng);
        start = Clock::now();
        const auto big_index = Index::build(synthetic);
        const double big_build =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();

        std::printf("build: real %.1f ms, synthetic %.1f ms\n", real_build, big_build);
        measure("real", *real_index, cases, rounds);
        measure("synthetic", *big_index, cases, rounds);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
    return 0;
}
