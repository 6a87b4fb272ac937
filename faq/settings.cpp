#include "faq/settings.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <vector>

namespace kayou::faq {
namespace {

struct Setting {
    std::string_view name;
    std::function<void(double, IndexOptions&, Thresholds&)> apply;
};

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = {
        {"answer", [](double v, IndexOptions&, Thresholds& t) { t.answer = v; }},
        {"suggest", [](double v, IndexOptions&, Thresholds& t) { t.suggest = v; }},
        {"margin", [](double v, IndexOptions&, Thresholds& t) { t.margin = v; }},
        {"lone", [](double v, IndexOptions&, Thresholds& t) { t.lone = v; }},
        {"both_gap", [](double v, IndexOptions&, Thresholds& t) { t.both_gap = v; }},
        {"both_second", [](double v, IndexOptions&, Thresholds& t) { t.both_second = v; }},
        {"both_top", [](double v, IndexOptions&, Thresholds& t) { t.both_top = v; }},
        {"both_gap_apart", [](double v, IndexOptions&, Thresholds& t) { t.both_gap_apart = v; }},
        {"complement_share",
         [](double v, IndexOptions&, Thresholds& t) { t.complement_share = v; }},
        {"complement_gap", [](double v, IndexOptions&, Thresholds& t) { t.complement_gap = v; }},
        {"complement_second",
         [](double v, IndexOptions&, Thresholds& t) { t.complement_second = v; }},
        {"both_second_apart",
         [](double v, IndexOptions&, Thresholds& t) { t.both_second_apart = v; }},
        {"two_questions", [](double v, IndexOptions&, Thresholds& t) { t.two_questions = v != 0; }},
        {"two_questions_unmarked",
         [](double v, IndexOptions&, Thresholds& t) { t.two_questions_unmarked = v != 0; }},
        {"k1", [](double v, IndexOptions& o, Thresholds&) { o.k1 = v; }},
        {"b", [](double v, IndexOptions& o, Thresholds&) { o.b = v; }},
        {"unigram", [](double v, IndexOptions& o, Thresholds&) { o.unigram_weight = v; }},
        {"bigram", [](double v, IndexOptions& o, Thresholds&) { o.bigram_weight = v; }},
        {"unknown", [](double v, IndexOptions& o, Thresholds&) { o.unknown_weight = v; }},
        {"idf_power", [](double v, IndexOptions& o, Thresholds&) { o.idf_power = v; }},
        {"function_bigrams",
         [](double v, IndexOptions& o, Thresholds&) { o.skip_function_bigrams = v == 0; }},
        {"answer_weight", [](double v, IndexOptions& o, Thresholds&) { o.answer_weight = v; }},
        {"pool", [](double v, IndexOptions& o, Thresholds&) { o.question_pool_weight = v; }},
        {"pool_from", [](double v, IndexOptions& o, Thresholds&) { o.question_pool_from = v; }},
        {"pool_floor", [](double v, IndexOptions& o, Thresholds&) { o.question_pool_floor = v; }},
        {"pool_idf", [](double v, IndexOptions& o, Thresholds&) { o.pool_idf_power = v; }},
        {"focus", [](double v, IndexOptions& o, Thresholds&) { o.focus_weight = v; }},
        {"focus_lift", [](double v, IndexOptions& o, Thresholds&) { o.focus_lift = v; }},
        {"query_cap", [](double v, IndexOptions& o, Thresholds&) { o.query_cap = v; }},
        {"query_cap_from", [](double v, IndexOptions& o, Thresholds&) { o.query_cap_from = v; }},
        {"common", [](double v, IndexOptions& o,
                      Thresholds&) { o.common_term_docs = static_cast<std::size_t>(v); }},
        {"demote", [](double v, IndexOptions& o, Thresholds&) { o.word_model_demote = v; }},
        {"wm_alpha", [](double v, IndexOptions& o, Thresholds&) { o.word_model_alpha = v; }},
        {"wm_n", [](double v, IndexOptions& o,
                    Thresholds&) { o.word_model_candidates = static_cast<std::size_t>(v); }},
    };
    return table;
}

}  // namespace

std::string apply_setting(std::string_view setting, IndexOptions& options, Thresholds& thresholds) {
    const auto eq = setting.find('=');
    if (eq == std::string_view::npos)
        return "expected name=value, got \"" + std::string(setting) + "\"";
    const std::string_view name = setting.substr(0, eq);
    const std::string_view value = setting.substr(eq + 1);
    if (name == "norm") {
        if (value == "variant")
            options.normalize = IndexOptions::Normalize::by_variant;
        else if (value == "larger")
            options.normalize = IndexOptions::Normalize::by_larger;
        else if (value == "cosine")
            options.normalize = IndexOptions::Normalize::cosine;
        else
            return "norm is variant, larger or cosine, not \"" + std::string(value) + "\"";
        return {};
    }
    for (const auto& known : settings()) {
        if (known.name != name) continue;
        double number = 0;
        const auto [end, error] =
            std::from_chars(value.data(), value.data() + value.size(), number);
        if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
            !std::isfinite(number) || number < 0)
            return std::string(name) + " needs a number of zero or more, not \"" +
                   std::string(value) + "\"";
        known.apply(number, options, thresholds);
        return {};
    }
    return "unknown setting \"" + std::string(name) + "\" (known: " + setting_names() + ")";
}

std::string setting_names() {
    std::string names;
    for (const auto& known : settings()) {
        names += known.name;
        names += ' ';
    }
    return names + "norm";
}

}  // namespace kayou::faq
