// Loading FAQ scripts: the shipped files load; every validation error names its line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "faq/decide.hpp"
#include "faq/eval.hpp"
#include "faq/intents.hpp"
#include "faq/script.hpp"

namespace {

using namespace kayou::faq;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(KAYOU_SOURCE_DIR) + "/faq/data/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Parses text that must fail and returns the problems.
std::vector<ScriptProblem> problems_of(const std::string& yaml) {
    try {
        parse_script(yaml, "test.yaml");
    } catch (const ScriptError& error) {
        return error.problems();
    }
    ADD_FAILURE() << "script was accepted:\n" << yaml;
    return {};
}

bool has_problem(const std::vector<ScriptProblem>& problems, int line, const std::string& part) {
    for (const auto& problem : problems)
        if (problem.line == line && problem.message.find(part) != std::string::npos) return true;
    return false;
}

std::string dump(const std::vector<ScriptProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += std::to_string(p.line) + ": " + p.message + "\n";
    return out;
}

const char* kValid = R"(version: 1
synonyms:
  - [工资, 工钱]
corrections:
  工姿: 工资
entries:
  - id: wage
    questions: [老板拖欠工资怎么办]
    answer: 可以投诉或申请仲裁。
    legal_basis:
      - {law: 《劳动合同法》, article: 第30条}
    tags: [工资]
  - id: hotline
    questions: [工会电话多少]
    answer: 12351。
    legal: false
    districts: [高新区]
    handoff: true
)";

TEST(FaqScript, ShippedScriptLoads) {
    const auto script = parse_script(read_data("legal.yaml"), "legal.yaml");
    EXPECT_GE(script.entries.size(), 60u);
    EXPECT_FALSE(script.version.empty());
    EXPECT_FALSE(script.synonyms.empty());
    for (const auto& entry : script.entries) {
        EXPECT_FALSE(entry.questions.empty()) << entry.id;
        EXPECT_FALSE(entry.answer.empty()) << entry.id;
        if (entry.legal) {
            EXPECT_FALSE(entry.legal_basis.empty()) << entry.id;
        }
        for (const auto& basis : entry.legal_basis)
            EXPECT_EQ(basis.law.find("《"), std::string::npos) << entry.id;
    }
}

// The Official Account's passive reply holds 2,048 bytes (kOneReplyBytes). A longer answer (with
// its legal basis and the way to a person) is shortened by format_answer and can lose the very fact
// asked for: session 17's additions cut the 满分学习 days out of license_points that way.
TEST(FaqScript, ShippedAnswersGoWholeInOneReply) {
    const auto script = parse_script(read_data("legal.yaml"), "legal.yaml");
    for (const auto& entry : script.entries)
        EXPECT_LE(whole_reply_bytes(entry), kOneReplyBytes) << entry.id;
}

TEST(FaqScript, ShippedEvalSetsReferToRealEntries) {
    const auto script = parse_script(read_data("legal.yaml"), "legal.yaml");
    const auto cases = parse_eval_set(read_data("eval.yaml"), "eval.yaml", &script);
    EXPECT_GE(cases.size(), 150u);
    const auto holdout =
        parse_eval_set(read_data("eval_holdout.yaml"), "eval_holdout.yaml", &script);
    EXPECT_FALSE(holdout.empty());
    // Eval questions must not be copies of the script's variants, or the score means nothing.
    for (const auto& item : cases)
        for (const auto& entry : script.entries)
            for (const auto& question : entry.questions)
                EXPECT_NE(item.question, question) << "line " << item.line;
}

TEST(FaqScript, ValidScriptFields) {
    const auto script = parse_script(kValid, "test.yaml");
    ASSERT_EQ(script.entries.size(), 2u);
    const auto& wage = script.entries[0];
    EXPECT_EQ(wage.id, "wage");
    EXPECT_EQ(wage.line, 7);
    ASSERT_EQ(wage.legal_basis.size(), 1u);
    EXPECT_EQ(wage.legal_basis[0].law, "劳动合同法");  // book-title marks stripped
    EXPECT_EQ(wage.legal_basis[0].article, "第30条");
    const auto& hotline = script.entries[1];
    EXPECT_FALSE(hotline.legal);
    EXPECT_TRUE(hotline.handoff);
    EXPECT_EQ(hotline.districts, std::vector<std::string>{"高新区"});
    ASSERT_EQ(script.corrections.size(), 1u);
    EXPECT_EQ(script.corrections[0].second, "工资");
    EXPECT_EQ(script.find("hotline"), &script.entries[1]);
    EXPECT_EQ(script.find("nope"), nullptr);
}

TEST(FaqScript, BrokenYamlReportsLine) {
    const auto problems = problems_of("version: 1\nentries:\n  - id: a\n    questions: [x\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("YAML syntax error"), std::string::npos);
    EXPECT_GE(problems[0].line, 4);
}

TEST(FaqScript, DuplicateIdNamesBothLines) {
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: [问题一]
    answer: 答
    legal: false
  - id: a
    questions: [问题二]
    answer: 答
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 7, "duplicate id 'a' (first on line 3)")) << dump(problems);
}

TEST(FaqScript, EmptyAnswerAndNoQuestions) {
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: []
    answer: "  "
    legal: false
  - id: b
    answer: 答
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 4, "'a' has no questions")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 5, "'a' has an empty answer")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 7, "'b' has no questions")) << dump(problems);
}

TEST(FaqScript, VariantsFoldedIntoAnAnswerAreRefused) {
    // The two variants sit one indent level too deep under an unquoted answer, so YAML reads them
    // as more answer text.
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions:
      - 问题一
    answer: 先去劳动监察投诉。
      - "工资拖了咋办"
      - "老板不给钱找谁"
    legal: false
  - id: b
    questions: [问题二]
    answer: 可以拨打12351 - 职工服务热线。
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 6, "'a' has what look like question variants"))
        << dump(problems);
    EXPECT_EQ(problems.size(), 1u) << dump(problems);  // a plain dash in b's answer is fine
}

TEST(FaqScript, ASecondAnswerInOneEntryIsRefused) {
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: [问题一]
    answer: 旧的答案。
    answer: 新的答案。
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 6, "'a' has a second 'answer' (first on line 5)"))
        << dump(problems);
    EXPECT_EQ(problems.size(), 1u) << dump(problems);
    // Two entries lists (the first one's entries would vanish) and a basis with two articles.
    const auto top = problems_of(R"(version: 1
entries:
  - id: a
    questions: [问题一]
    answer: 答
    legal_basis: [{law: 劳动合同法, article: 第30条, article: 第85条}]
entries:
  - id: b
    questions: [问题二]
    answer: 答
    legal: false
)");
    EXPECT_TRUE(has_problem(top, 7, "the script has a second 'entries' (first on line 2)"))
        << dump(top);
    EXPECT_TRUE(has_problem(top, 6, "legal_basis item has a second 'article'")) << dump(top);
}

// The same check guards every file read through detail::YamlCheck::only_keys (intents,
// benefits, stations): here an intent whose examples were merged in twice.
TEST(FaqScript, ASecondKeyInAnIntentIsRefused) {
    try {
        parse_intent_script(R"(version: 1
intents:
  - id: greeting
    examples: [你好]
    examples: [在吗]
)",
                            "intents.yaml");
        FAIL() << "accepted an intent with two examples keys";
    } catch (const ScriptError& error) {
        EXPECT_TRUE(has_problem(error.problems(), 5,
                                "intent 'greeting' has a second 'examples' (first on line 4)"))
            << dump(error.problems());
    }
}

// not_danger is the script's: a phrase listed there hides the danger word inside it, and only
// that phrase ("打我电话" is a call asked for; "他们在打我" is still a beating).
TEST(FaqScript, NotDangerPhrasesHideTheDangerWordInsideThem) {
    const std::string script = R"(version: 1
fillers: [请]
serious: [住院]
emergency: [打我]
question_words: [吗]
intents:
  - id: greeting
    examples: [你好]
)";
    const auto plain = IntentModel::build(parse_intent_script(script, "intents.yaml"));
    EXPECT_EQ(plain->danger("律师直接打我电话吧"), "emergency");
    const auto with_exception = IntentModel::build(
        parse_intent_script(script + "not_danger: [打我电话]\n", "intents.yaml"));
    EXPECT_EQ(with_exception->danger("律师直接打我电话吧"), "");
    EXPECT_EQ(with_exception->danger("他们几个在打我"), "emergency");
    EXPECT_EQ(with_exception->danger("打我电话 他们还在打我"), "emergency");
}

TEST(FaqScript, LegalEntryNeedsLegalBasis) {
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: [问]
    answer: 答
)");
    EXPECT_TRUE(has_problem(problems, 3, "without legal_basis")) << dump(problems);
}

TEST(FaqScript, UnknownKeysAndBadTypes) {
    const auto problems = problems_of(R"(version: 1
colour: red
entries:
  - id: a
    questions: 一个问题
    answer: 答
    anwser: typo
    handoff: maybe
    legal_basis:
      - {law: 劳动法, artcle: 第50条}
      - 劳动法
  - id: Bad Id
    questions: [问二]
    answer: [不是文本]
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 2, "unknown top-level key 'colour'")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 5, "must be a list")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 7, "unknown key 'anwser'")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 8, "handoff of 'a' must be true or false")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 10, "unknown key 'artcle'")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 11, "must be a map with law and article")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 12, "id 'Bad Id' must be")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 14, "answer of 'Bad Id' must be text")) << dump(problems);
}

TEST(FaqScript, DuplicateQuestionAcrossEntries) {
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: [同一个问题]
    answer: 答
    legal: false
  - id: b
    questions: [同一个问题]
    answer: 答
    legal: false
)");
    EXPECT_TRUE(has_problem(problems, 7, "is also in 'a'")) << dump(problems);
}

TEST(FaqScript, QuestionListedTwiceInOneEntry) {
    // What a union merge of two editors' branches leaves when both added the same variant.
    const auto problems = problems_of(R"(version: 1
entries:
  - id: a
    questions: [一个问题, 另一个问题, 一个问题]
    answer: 答
    legal: false
)");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 3, "question '一个问题' is listed twice in 'a'"))
        << dump(problems);
}

TEST(FaqScript, CorrectionGivenTwice) {
    const auto problems = problems_of(R"(version: 1
corrections:
  算工商: 算工伤
  忠裁: 仲裁
  算工商: 算公司
entries: []
)");
    EXPECT_TRUE(has_problem(problems, 5, "corrections has a second '算工商' (first on line 3)"))
        << dump(problems);
}

TEST(FaqScript, SynonymProblems) {
    const auto problems = problems_of(R"(version: 1
synonyms:
  - [工资]
  - [运费, 车费]
  - [车费, 运输费]
entries: []
)");
    EXPECT_TRUE(has_problem(problems, 3, "at least two phrases")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 5, "'车费' is already in the group on line 4"))
        << dump(problems);
}

TEST(FaqScript, MissingVersionAndEntries) {
    const auto problems = problems_of("synonyms: []\n");
    EXPECT_TRUE(has_problem(problems, 1, "version is missing")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 1, "entries are missing")) << dump(problems);
}

TEST(FaqScript, ErrorMessageListsEveryProblemWithSourceAndLine) {
    try {
        parse_script("version: 1\nentries:\n  - id: a\n    answer: x\n    legal: false\n",
                     "legal.yaml");
        FAIL() << "accepted";
    } catch (const ScriptError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("legal.yaml:3: 'a' has no questions"), std::string::npos) << message;
    }
}

TEST(FaqScript, NotAMap) {
    const auto problems = problems_of("- just\n- a list\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("must be a map"), std::string::npos);
}

}  // namespace
