// The evaluation tools' "--set name=value" (faq/settings.hpp): every name reaches its field, and
// a bad setting is refused with a reason and changes nothing.
#include "faq/settings.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace {

using namespace kayou::faq;

TEST(FaqSettings, EachNameSetsItsField) {
    struct Case {
        const char* setting;
        std::function<double(const IndexOptions&, const Thresholds&)> read;
        double expected;
    };
    const Case cases[] = {
        {"answer=0.61", [](auto&, auto& t) { return t.answer; }, 0.61},
        {"suggest=0.25", [](auto&, auto& t) { return t.suggest; }, 0.25},
        {"margin=0.05", [](auto&, auto& t) { return t.margin; }, 0.05},
        {"lone=0.7", [](auto&, auto& t) { return t.lone; }, 0.7},
        {"k1=1.5", [](auto& o, auto&) { return o.k1; }, 1.5},
        {"b=0.5", [](auto& o, auto&) { return o.b; }, 0.5},
        {"unigram=0.9", [](auto& o, auto&) { return o.unigram_weight; }, 0.9},
        {"bigram=0.4", [](auto& o, auto&) { return o.bigram_weight; }, 0.4},
        {"unknown=0.5", [](auto& o, auto&) { return o.unknown_weight; }, 0.5},
        {"idf_power=1.2", [](auto& o, auto&) { return o.idf_power; }, 1.2},
        {"answer_weight=0.7", [](auto& o, auto&) { return o.answer_weight; }, 0.7},
        {"pool=0", [](auto& o, auto&) { return o.question_pool_weight; }, 0.0},
        {"pool_from=12", [](auto& o, auto&) { return o.question_pool_from; }, 12.0},
        {"pool_floor=0.2", [](auto& o, auto&) { return o.question_pool_floor; }, 0.2},
        {"pool_idf=1", [](auto& o, auto&) { return o.pool_idf_power; }, 1.0},
        {"focus=0.8", [](auto& o, auto&) { return o.focus_weight; }, 0.8},
        {"focus_lift=0.3", [](auto& o, auto&) { return o.focus_lift; }, 0.3},
        {"query_cap=2", [](auto& o, auto&) { return o.query_cap; }, 2.0},
        {"query_cap_from=30", [](auto& o, auto&) { return o.query_cap_from; }, 30.0},
        {"demote=0.2", [](auto& o, auto&) { return o.word_model_demote; }, 0.2},
        {"wm_alpha=0.3", [](auto& o, auto&) { return o.word_model_alpha; }, 0.3},
        {"wm_n=8", [](auto& o, auto&) { return double(o.word_model_candidates); }, 8.0},
        {"common=500", [](auto& o, auto&) { return double(o.common_term_docs); }, 500.0},
        {"function_bigrams=1", [](auto& o, auto&) { return o.skip_function_bigrams ? 0.0 : 1.0; },
         1.0},
    };
    for (const auto& c : cases) {
        IndexOptions options;
        Thresholds thresholds;
        EXPECT_EQ(apply_setting(c.setting, options, thresholds), "") << c.setting;
        EXPECT_DOUBLE_EQ(c.read(options, thresholds), c.expected) << c.setting;
    }
    IndexOptions options;
    Thresholds thresholds;
    EXPECT_EQ(apply_setting("norm=cosine", options, thresholds), "");
    EXPECT_EQ(options.normalize, IndexOptions::Normalize::cosine);
}

TEST(FaqSettings, BadSettingsAreRefusedAndChangeNothing) {
    struct Case {
        const char* setting;
        const char* reason;  // a part of the message
    };
    const Case cases[] = {
        {"answer", "name=value"},         {"anwser=0.5", "unknown setting"},
        {"answer=", "needs a number"},    {"answer=0.5x", "needs a number"},
        {"answer=abc", "needs a number"}, {"margin=-0.1", "needs a number"},
        {"pool=inf", "needs a number"},   {"norm=sideways", "variant, larger or cosine"},
        {"=0.5", "unknown setting"},      {"demote=0,1", "needs a number"},
    };
    for (const auto& c : cases) {
        IndexOptions options;
        Thresholds thresholds;
        const std::string error = apply_setting(c.setting, options, thresholds);
        EXPECT_NE(error.find(c.reason), std::string::npos) << c.setting << ": " << error;
        const IndexOptions defaults;
        const Thresholds default_thresholds;
        EXPECT_EQ(thresholds.answer, default_thresholds.answer) << c.setting;
        EXPECT_EQ(thresholds.margin, default_thresholds.margin) << c.setting;
        EXPECT_EQ(options.question_pool_weight, defaults.question_pool_weight) << c.setting;
        EXPECT_EQ(options.word_model_demote, defaults.word_model_demote) << c.setting;
        EXPECT_EQ(options.normalize, defaults.normalize) << c.setting;
    }
    EXPECT_NE(setting_names().find("demote"), std::string::npos);
}

}  // namespace
