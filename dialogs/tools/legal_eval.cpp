// Scores the FAQ end to end on the blind legal eval (format: docs/understanding.md).
//   legal_eval [--summary] [--sweep] [--calibrate] [--features] [--cases] [--without-copies]
//              [--one-message] [--diagnose] [--conversations]
//   [--legal F] [--intents F]
//              [--set NAME=VALUE]... (faq/settings.hpp: thresholds and retrieval options)
//              EVAL.yaml...
// Prints per category: right (answered with every required fact), wrong (answered without
// them), choices, handoff, other (routed away from the FAQ); out-of-scope cases kept out or
// answered with a legal claim. --summary prints figures only (the held-out file); --sweep prints
// the figures over a grid of answer thresholds and margins (how the defaults were chosen);
// --calibrate prints one "CAL" line per case (top two scores, first and any hit holds the facts)
// for choosing thresholds on a tuning set; --cases prints one "CASE" JSON line per case (its
// outcome on the channel and its top five hits' numbers, as --features); --without-copies leaves
// out the questions that are word for word a variant of the script; --one-message scores a channel
// with no second message (dialogs::LegalEvalChannel); --diagnose counts the confidently wrong
// answers by kind (facts needed, held by the answer, where the rest are), no question printed;
// --conversations reads conversation files (faq/eval/followups_blind_*.yaml) and scores each
// message after the first in the context of the ones before (dialogs::score_conversations).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/flow_script.hpp"
#include "dialogs/legal_eval.hpp"
#include "dialogs/router_dialog.hpp"
#include "faq/benefits.hpp"
#include "faq/index.hpp"
#include "faq/intents.hpp"
#include "faq/script.hpp"
#include "faq/settings.hpp"
#include "members/districts.hpp"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void print_tally(const char* name, const kayou::dialogs::LegalEvalTally& tally) {
    using kayou::dialogs::LegalOutcome;
    std::printf(
        "  %-16s %3d: right %3d  wrong %2d  choices %2d (fact behind one %2d)  handoff %2d  "
        "other %2d  kept out %2d  legal claim %d  (answered with two %d)\n",
        name, tally.cases, tally.count(LegalOutcome::right), tally.count(LegalOutcome::wrong),
        tally.count(LegalOutcome::choices), tally.choices_with_fact,
        tally.count(LegalOutcome::handoff), tally.count(LegalOutcome::other),
        tally.count(LegalOutcome::kept_out), tally.count(LegalOutcome::legal_claim),
        tally.answered_both);
}

struct Options {
    std::string intents_path = KAYOU_DATA_SOURCE_DIR "/faq/data/intents.yaml";
    std::string legal_path = KAYOU_DATA_SOURCE_DIR "/faq/data/legal.yaml";
    std::string districts_path = KAYOU_DATA_SOURCE_DIR "/config/districts.yaml";
    bool summary = false, sweep = false, without_copies = false, calibrate = false,
         features = false, per_case = false, diagnose = false, conversations = false;
    kayou::faq::Thresholds thresholds;
    kayou::faq::IndexOptions index_options;
    kayou::dialogs::LegalEvalChannel channel;
    std::vector<std::string> evals;
};

Options parse_arguments(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--summary")
            options.summary = true;
        else if (arg == "--without-copies")
            options.without_copies = true;
        else if (arg == "--one-message")
            options.channel.follow_up = false;
        else if (arg == "--calibrate")
            options.calibrate = true;
        else if (arg == "--features")
            options.features = true;
        else if (arg == "--cases")
            options.per_case = true;
        else if (arg == "--diagnose")
            options.diagnose = true;
        else if (arg == "--conversations")
            options.conversations = true;
        else if (arg == "--decision-only")
            options.channel.decision_only = true;
        else if (arg == "--sweep")
            options.sweep = true;
        else if (arg == "--set" && i + 1 < argc) {
            const std::string error =
                kayou::faq::apply_setting(argv[++i], options.index_options, options.thresholds);
            if (!error.empty()) {
                std::cerr << "legal_eval: --set " << error << "\n";
                std::exit(1);
            }
        } else if (arg == "--legal" && i + 1 < argc)
            options.legal_path = argv[++i];
        else if (arg == "--intents" && i + 1 < argc)
            options.intents_path = argv[++i];
        else
            options.evals.push_back(arg);
    }
    return options;
}

using Elsewhere = std::function<std::string(const kayou::dialogs::Understanding&)>;

void print_sweep(const std::string& path, const kayou::dialogs::Understander& understander,
                 const kayou::faq::Index& index, const kayou::faq::Thresholds& thresholds,
                 const std::vector<kayou::dialogs::LegalEvalCase>& cases,
                 const Elsewhere& elsewhere) {
    std::printf("%s: answer margin -> right%% wrong%% choices%%\n", path.c_str());
    for (double answer = 0.35; answer <= 0.701; answer += 0.05)
        for (double margin : {0.0, 0.02, 0.04, 0.06, 0.1}) {
            kayou::faq::Thresholds trial = thresholds;
            trial.answer = answer;
            trial.margin = margin;
            trial.lone = std::min(trial.lone, answer);
            if (trial.suggest > trial.answer) trial.suggest = trial.answer;
            const auto result =
                kayou::dialogs::score_legal(understander, index, trial, cases, elsewhere);
            std::printf("  %.2f %.2f -> %5.1f %4.1f %5.1f\n", answer, margin,
                        100 * result.right_rate(), 100 * result.wrong_rate(),
                        100 * result.choices_rate());
        }
}

// Each case the understanding layer sends to the FAQ, with its top_k hits (never empty), for
// the per-case tools below.
template <typename PerCase>
void for_each_faq_case(const kayou::dialogs::Understander& understander,
                       const kayou::faq::Index& index,
                       const std::vector<kayou::dialogs::LegalEvalCase>& cases, std::size_t top_k,
                       PerCase&& per_case) {
    const auto context = kayou::dialogs::legal_eval_context();
    for (const auto& item : cases) {
        const auto understood = understander.understand(item.question, context, &index);
        if (understood.intent != "question") continue;
        const auto hits = index.search(understood.text, {}, top_k);
        if (!hits.empty()) per_case(item, understood, hits);
    }
}

// An entry's whole answer with its legal basis, uncut, as a driver gets it on a roomy channel.
std::string whole_answer(const kayou::faq::Entry& entry) {
    return kayou::faq::format_answer(entry, std::numeric_limits<std::size_t>::max());
}

bool holds_facts(const kayou::faq::Hit& hit, const kayou::dialogs::LegalEvalCase& item) {
    return item.in_scope && kayou::dialogs::has_facts(whole_answer(*hit.entry), item.must);
}

// How a hit's score came about (faq::Hit), the variant it matched and whether it holds the facts.
nlohmann::json hit_json(const kayou::faq::Hit& hit, const kayou::dialogs::LegalEvalCase& item) {
    return {{"id", hit.entry->id},
            {"score", hit.score},
            {"variant", hit.entry->questions[hit.variant]},
            {"variant_coverage", hit.variant_coverage},
            {"query_coverage", hit.query_coverage},
            {"answer_share", hit.answer_share},
            {"focus", hit.from_focus},
            {"word_model", hit.word_model_share},
            {"holds", holds_facts(hit, item)}};
}

// One line per in-scope case the understanding layer sent to the FAQ: the top two scores and
// whether the first and any of the top three entries hold the facts. For choosing thresholds on
// a tuning set (never on the held-out file: the lines are per case).
void print_calibration(const kayou::dialogs::Understander& understander,
                       const kayou::faq::Index& index,
                       const std::vector<kayou::dialogs::LegalEvalCase>& cases) {
    for_each_faq_case(
        understander, index, cases, 3, [](const auto& item, const auto&, const auto& hits) {
            bool any = false;
            for (const auto& hit : hits) any = any || holds_facts(hit, item);
            const double second = hits.size() > 1 ? hits[1].score : 0.0;
            std::printf("CAL %d %.4f %.4f %d %d %s\n", item.in_scope ? 1 : 0, hits[0].score, second,
                        holds_facts(hits[0], item) ? 1 : 0, any ? 1 : 0, item.category.c_str());
        });
}

// One JSON line per in-scope or out-of-scope case the FAQ sees: the top five hits with how their
// scores came about (faq::Hit) and whether each holds the facts. For fitting a decision rule on
// tuning sets, like --calibrate (never on the held-out file).
void print_features(const kayou::dialogs::Understander& understander,
                    const kayou::faq::Index& index,
                    const std::vector<kayou::dialogs::LegalEvalCase>& cases) {
    for_each_faq_case(understander, index, cases, 5,
                      [](const auto& item, const auto& understood, const auto& hits) {
                          nlohmann::json line = {{"in_scope", item.in_scope},
                                                 {"category", item.category},
                                                 {"bytes", understood.text.size()},
                                                 {"question", item.question}};
                          nlohmann::json listed = nlohmann::json::array();
                          for (const auto& hit : hits) listed.push_back(hit_json(hit, item));
                          line["hits"] = std::move(listed);
                          std::printf("FEAT %s\n", line.dump().c_str());
                      });
}

// Which must groups `text` holds.
std::vector<bool> groups_in(const std::string& text, const kayou::dialogs::LegalEvalCase& item) {
    std::vector<bool> held;
    for (const auto& group : item.must) held.push_back(kayou::dialogs::has_facts(text, {group}));
    return held;
}

// One JSON line per case: how it was scored on the channel (outcome) with the --features numbers
// of its top five hits. For studying a decision rule on tuning sets (never on the held-out file).
void print_cases(const kayou::dialogs::Understander& understander, const kayou::faq::Index& index,
                 const kayou::faq::Thresholds& thresholds,
                 const std::vector<kayou::dialogs::LegalEvalCase>& cases,
                 const Elsewhere& elsewhere, const kayou::dialogs::LegalEvalChannel& channel) {
    const auto context = kayou::dialogs::legal_eval_context();
    for (const auto& item : cases) {
        const std::vector<kayou::dialogs::LegalEvalCase> one{item};
        const auto result =
            kayou::dialogs::score_legal(understander, index, thresholds, one, elsewhere, channel);
        std::string outcome = "right";
        if (!result.misses.empty())
            outcome = std::string(kayou::dialogs::outcome_name(result.misses.front().outcome));
        else if (!item.in_scope)
            outcome = "kept_out";
        const auto understood = understander.understand(item.question, context, &index);
        nlohmann::json line = {
            {"in_scope", item.in_scope},   {"category", item.category},
            {"outcome", outcome},          {"both", result.total.answered_both > 0},
            {"intent", understood.intent}, {"bytes", understood.text.size()},
            {"text", understood.text},     {"question", item.question}};
        nlohmann::json listed = nlohmann::json::array();
        if (understood.intent == "question")
            for (const auto& hit : index.search(understood.text, {}, 5)) {
                auto one = hit_json(hit, item);
                one["groups"] = groups_in(whole_answer(*hit.entry), item);
                nlohmann::json terms = nlohmann::json::array();
                for (const auto& term : index.term_evidence(understood.text, *hit.entry))
                    terms.push_back({term.key, term.answer_entries, term.pool_entries,
                                     term.in_answer, term.in_pool});
                one["terms"] = std::move(terms);
                listed.push_back(std::move(one));
            }
        line["hits"] = std::move(listed);
        if (!result.misses.empty()) line["sent"] = result.misses.front().sent;
        std::printf("CASE %s\n", line.dump().c_str());
    }
}

// " at hit N (D below the top)": the first of `hits` (the top ten) whose answer, with `with`
// before it, holds every fact; ", not in the top 10" when none does.
std::string first_hit_completing(const std::vector<kayou::faq::Hit>& hits,
                                 const kayou::dialogs::LegalEvalCase& item,
                                 const std::string& with) {
    for (std::size_t i = 0; i < hits.size(); ++i)
        if (kayou::dialogs::has_facts(with + "\n" + whole_answer(*hits[i].entry), item.must)) {
            char where[64];
            std::snprintf(where, sizeof where, " at hit %zu (%.2f below the top)", i + 1,
                          hits[0].score - hits[i].score);
            return where;
        }
    return ", not in the top 10";
}

// Why one confidently wrong answer was wrong, in words that say nothing of the question: how many
// fact groups it needs, how many the answered entry holds, and where the missing ones are.
std::string wrong_answer_kind(const kayou::faq::Index& index,
                              const kayou::dialogs::LegalEvalResult::Miss& miss) {
    const auto& item = *miss.item;
    const auto* top = index.script().find(miss.entry);
    const std::string top_text = top ? whole_answer(*top) : std::string();
    const auto top_groups = groups_in(top_text, item);
    const auto top_held = std::count(top_groups.begin(), top_groups.end(), true);
    bool one_holds_all = false;
    std::vector<bool> somewhere(item.must.size(), false);
    for (const auto& entry : index.script().entries) {
        const auto held = groups_in(whole_answer(entry), item);
        one_holds_all =
            one_holds_all || std::all_of(held.begin(), held.end(), [](bool h) { return h; });
        for (std::size_t g = 0; g < held.size(); ++g) somewhere[g] = somewhere[g] || held[g];
    }
    const auto hits = index.search(miss.text, {}, 10);
    std::string kind = std::to_string(item.must.size()) + " group(s), the answer holds " +
                       std::to_string(top_held) + "; ";
    if (one_holds_all)
        kind += "an entry holding all" + first_hit_completing(hits, item, {});
    else if (std::all_of(somewhere.begin(), somewhere.end(), [](bool h) { return h; }))
        kind += "the facts spread over entries";
    else
        kind += "a fact in no entry";
    if (top_held > 0 && static_cast<std::size_t>(top_held) < item.must.size())
        kind += "; the rest" + first_hit_completing(hits, item, top_text);
    return kind;
}

// Counts only, never a question: why the confidently wrong answers were wrong. Safe on the
// held-out file, like --summary.
void print_diagnosis(const std::string& path, const kayou::faq::Index& index,
                     const kayou::dialogs::LegalEvalResult& result) {
    std::map<std::string, int> kinds;
    for (const auto& miss : result.misses)
        if (miss.outcome == kayou::dialogs::LegalOutcome::wrong)
            ++kinds[wrong_answer_kind(index, miss)];
    std::printf("%s: confidently wrong answers by kind\n", path.c_str());
    for (const auto& [kind, count] : kinds) std::printf("  %3d  %s\n", count, kind.c_str());
}

void print_result(const std::string& path, const kayou::dialogs::LegalEvalResult& result,
                  bool summary) {
    using kayou::dialogs::LegalOutcome;
    std::printf(
        "%s: %d cases; in scope right %.1f%%, confidently wrong %.1f%% of all, "
        "choices %.1f%% of all; out of scope answered with a legal claim: %d\n",
        path.c_str(), result.total.cases, 100 * result.right_rate(), 100 * result.wrong_rate(),
        100 * result.choices_rate(), result.out_of_scope.count(LegalOutcome::legal_claim));
    print_tally("in scope", result.in_scope);
    print_tally("out of scope", result.out_of_scope);
    for (const auto& [category, tally] : result.per_category) print_tally(category.c_str(), tally);
    if (summary) return;
    for (const auto& miss : result.misses)
        std::printf("  [%s %s %s %.2f] %s | %s\n",
                    std::string(kayou::dialogs::outcome_name(miss.outcome)).c_str(),
                    miss.intent.c_str(), miss.entry.c_str(), miss.score,
                    miss.item->category.c_str(), miss.item->question.c_str());
}

}  // namespace

// The follow-up eval: figures, and unless `summary` each miss with the conversation before it.
void print_conversations(const std::string& path,
                         const kayou::dialogs::ConversationEvalResult& result, bool summary) {
    using kayou::dialogs::LegalOutcome;
    std::printf("%s\n", path.c_str());
    print_tally("first messages", result.first);
    print_tally("follow-ups", result.follow_ups);
    print_tally("no claim wanted", result.kept);
    const auto& tally = result.follow_ups;
    const int in_scope = tally.cases;
    if (in_scope > 0)
        std::printf("  follow-ups: right %.1f %%, wrong %.1f %%, choices %.1f %%\n",
                    100.0 * tally.count(LegalOutcome::right) / in_scope,
                    100.0 * tally.count(LegalOutcome::wrong) / in_scope,
                    100.0 * tally.count(LegalOutcome::choices) / in_scope);
    if (summary) return;
    for (const auto& [category, per] : result.per_category) print_tally(category.c_str(), per);
    for (const auto& miss : result.misses) {
        std::printf("MISS %s:", std::string(kayou::dialogs::outcome_name(miss.outcome)).c_str());
        for (const auto& entry : miss.entries) std::printf(" %s", entry.c_str());
        std::printf(" (%s)\n", miss.intent.c_str());
        for (std::size_t i = 0; i < miss.turn; ++i)
            std::printf("    %s\n      %s\n", miss.conversation->turns[i].question.c_str(),
                        miss.before[i].c_str());
        std::printf("  > %s\n", miss.conversation->turns[miss.turn].question.c_str());
    }
}

int main(int argc, char** argv) {
    using namespace kayou;
    const Options options = parse_arguments(argc, argv);
    if (options.evals.empty()) {
        std::cerr << "usage: legal_eval [--summary] [--sweep] [--set answer=X] EVAL.yaml...\n";
        return 2;
    }
    try {
        auto model = faq::IntentModel::build(
            faq::parse_intent_script(read_file(options.intents_path), options.intents_path));
        const auto index =
            faq::Index::build(faq::parse_script(read_file(options.legal_path), options.legal_path),
                              options.index_options);
        // Variants as the analyzer folds them, to recognise an eval question copied into the
        // script.
        std::set<std::u32string> variants;
        for (const auto& entry : index->script().entries)
            for (const auto& question : entry.questions)
                variants.insert(index->analyzer().fold(question));
        auto is_variant = [&](const std::string& question) {
            return variants.count(index->analyzer().fold(question)) > 0;
        };
        const auto districts =
            members::DistrictCatalog::from_yaml(read_file(options.districts_path));
        const dialogs::Understander understander(model, &districts);
        const auto benefits = faq::parse_benefits(
            read_file(KAYOU_DATA_SOURCE_DIR "/faq/data/benefits.yaml"), "benefits.yaml");
        const auto flow =
            dialogs::FlowScript::load_file(KAYOU_DATA_SOURCE_DIR "/config/flows/join.yaml");
        // What kayou says to a driver with no application for the other intents.
        const Elsewhere elsewhere = [&](const dialogs::Understanding& understood) -> std::string {
            if (understood.intent == "benefits")
                return faq::benefits_text(benefits, understood.slot("district"),
                                          faq::MemberStatus::none, "2026-12-03",
                                          understood.slot("benefit"));
            if (understood.intent == "join") return flow.text("welcome");
            if (understood.intent == "progress") return flow.text("progress_none");
            if (understood.intent == "help") return flow.text("help");
            if (understood.intent == "stations" && understood.slot("district").empty())
                return dialogs::kAskTown;
            return {};
        };
        for (const auto& path : options.evals) {
            if (options.conversations) {
                print_conversations(
                    path,
                    dialogs::score_conversations(understander, index, options.thresholds,
                                                 dialogs::parse_conversation_eval(read_file(path)),
                                                 elsewhere, options.channel),
                    options.summary);
                continue;
            }
            auto cases = dialogs::parse_legal_eval(read_file(path));
            // A question that is word for word one of the script's variants measures nothing
            // about drivers' own words; say how many there are, and drop them on request.
            const auto copies = std::erase_if(cases, [&](const dialogs::LegalEvalCase& item) {
                return options.without_copies && is_variant(item.question);
            });
            std::size_t copies_kept = 0;
            for (const auto& item : cases) copies_kept += is_variant(item.question) ? 1 : 0;
            std::printf("%s: %zu questions are word for word a variant of the script%s\n",
                        path.c_str(), copies + copies_kept,
                        options.without_copies ? " (left out)" : "");
            if (options.features)
                print_features(understander, *index, cases);
            else if (options.per_case)
                print_cases(understander, *index, options.thresholds, cases, elsewhere,
                            options.channel);
            else if (options.calibrate)
                print_calibration(understander, *index, cases);
            else if (options.diagnose)
                print_diagnosis(path, *index,
                                dialogs::score_legal(understander, *index, options.thresholds,
                                                     cases, elsewhere, options.channel));
            else if (options.sweep)
                print_sweep(path, understander, *index, options.thresholds, cases, elsewhere);
            else
                print_result(path,
                             dialogs::score_legal(understander, *index, options.thresholds, cases,
                                                  elsewhere, options.channel),
                             options.summary);
        }
        return 0;
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
}
