// Loading and checking flow scripts: every mistake is a clear error with a line, at start-up.
#include <gtest/gtest.h>

#include "dialogs/flow_script.hpp"

namespace kayou::dialogs {
namespace {

std::string texts_yaml() {
    std::string out = "texts:\n";
    for (const auto& key : FlowScript::required_texts())
        out += "  " + key + ": \"t-" + key + "\"\n";
    return out;
}

std::string sets_yaml() {
    std::string out = "intents:\n";
    for (const auto& name : FlowScript::known_intents())
        out += "  " + name + ": [i-" + name + "]\n";
    out += "commands:\n";
    for (const auto& name : FlowScript::known_commands())
        out += "  " + name + ": [c-" + name + "]\n";
    return out;
}

constexpr const char* kSteps = R"(steps:
  - id: name
    label: 姓名
    validator: name
    prompt: 请问姓名
    next: mobile
  - id: mobile
    label: 手机号
    validator: mobile
    mask: mobile
    prompt: 请问手机
    next: verify
  - id: verify
    kind: sms_code
    prompt: 验证码
    next: confirm
  - id: confirm
    kind: confirm
    prompt: 请确认
)";

std::string script(std::string steps = kSteps) {
    return "flow: join\n" + sets_yaml() + steps + texts_yaml();
}

std::string error_of(const std::string& yaml) {
    try {
        FlowScript::from_yaml(yaml, "test.yaml");
    } catch (const FlowScriptError& error) {
        return error.what();
    }
    return "";
}

TEST(FlowScript, ShippedJoinScriptLoads) {
    const auto loaded = FlowScript::load_file(KAYOU_SOURCE_DIR "/config/flows/join.yaml");
    EXPECT_EQ(loaded.flow, "join");
    EXPECT_EQ(loaded.steps.front().id, "name");
    EXPECT_EQ(loaded.steps.back().kind, StepKind::confirm);
    ASSERT_TRUE(loaded.find_step("id_card"));
    EXPECT_TRUE(loaded.find_step("id_card")->personal);
    EXPECT_FALSE(loaded.find_step("district")->personal);
    EXPECT_TRUE(loaded.find_step("employer")->optional);
    EXPECT_EQ(loaded.max_failures, 3);
}

TEST(FlowScript, MinimalScriptLoads) {
    const auto loaded = FlowScript::from_yaml(script());
    EXPECT_EQ(loaded.steps.size(), 4u);
    EXPECT_EQ(loaded.step_for_slot("mobile")->id, "mobile");
    EXPECT_EQ(loaded.text("help"), "t-help");
    EXPECT_THROW(loaded.text("nope"), std::out_of_range);
}

TEST(FlowScript, UnknownValidatorNamesItAndTheLine) {
    std::string steps = kSteps;
    steps.replace(steps.find("validator: name"), 15, "validator: nmae");
    const auto error = error_of(script(steps));
    EXPECT_NE(error.find("unknown validator 'nmae'"), std::string::npos) << error;
    EXPECT_NE(error.find("test.yaml:"), std::string::npos) << error;
}

TEST(FlowScript, UnreachableStep) {
    std::string steps = kSteps;
    steps +=
        "  - id: orphan\n    label: x\n    validator: plate\n    prompt: p\n    next: confirm\n";
    EXPECT_NE(error_of(script(steps)).find("'orphan' is unreachable"), std::string::npos);
}

TEST(FlowScript, MissingPrompt) {
    std::string steps = kSteps;
    steps.replace(steps.find("    prompt: 请问手机\n"),
                  std::string("    prompt: 请问手机\n").size(), "");
    EXPECT_NE(error_of(script(steps)).find("missing prompt"), std::string::npos);
}

TEST(FlowScript, NextNamingNoStep) {
    std::string steps = kSteps;
    steps.replace(steps.find("next: verify"), 12, "next: verfy");
    EXPECT_NE(error_of(script(steps)).find("next names no step: 'verfy'"), std::string::npos);
}

TEST(FlowScript, DuplicateId) {
    std::string steps = kSteps;
    steps.replace(steps.find("id: mobile"), 10, "id: name");
    EXPECT_NE(error_of(script(steps)).find("duplicate id"), std::string::npos);
}

TEST(FlowScript, SmsCodeBeforeAnyMobile) {
    const std::string steps = R"(steps:
  - id: verify
    kind: sms_code
    prompt: 验证码
    next: confirm
  - id: confirm
    kind: confirm
    prompt: 请确认
)";
    EXPECT_NE(error_of(script(steps)).find("needs a mobile slot before it"), std::string::npos);
}

TEST(FlowScript, NoConfirmStep) {
    const std::string steps = R"(steps:
  - id: a
    label: A
    validator: name
    prompt: p
    next: b
  - id: b
    label: B
    validator: plate
    prompt: p
    next: a
)";
    EXPECT_NE(error_of(script(steps)).find("confirm"), std::string::npos);
}

TEST(FlowScript, MissingTextAndUnknownKeys) {
    std::string yaml = script();
    yaml.replace(yaml.find("  help: \"t-help\"\n"), std::string("  help: \"t-help\"\n").size(), "");
    EXPECT_NE(error_of(yaml).find("missing 'help'"), std::string::npos);
    EXPECT_NE(error_of(script() + "colour: red\n").find("unknown key 'colour'"), std::string::npos);
    std::string steps = kSteps;
    steps.replace(steps.find("    prompt: 请问姓名"), 4, "    promt: x\n    ");
    EXPECT_NE(error_of(script(steps)).find("unknown key 'promt'"), std::string::npos);
}

TEST(FlowScript, UnknownIntentOrMissingKeywordSet) {
    std::string yaml = script();
    yaml.replace(yaml.find("intents:\n"), 9, "intents:\n  weather: [天气]\n");
    EXPECT_NE(error_of(yaml).find("unknown name 'weather'"), std::string::npos);
    yaml = script();
    yaml.replace(yaml.find("  cancel: [c-cancel]\n"), std::string("  cancel: [c-cancel]\n").size(),
                 "");
    EXPECT_NE(error_of(yaml).find("missing keyword set 'cancel'"), std::string::npos);
}

TEST(FlowScript, BadYamlAndBadMaxFailures) {
    EXPECT_NE(error_of("flow: [").find("not valid YAML"), std::string::npos);
    EXPECT_NE(error_of(script() + "max_failures: 0\n").find("max_failures"), std::string::npos);
    EXPECT_NE(error_of("- a\n- b\n").find("expected a mapping"), std::string::npos);
}

TEST(FlowScript, FillText) {
    EXPECT_EQ(fill_text("编号{id}，{x}", {{"id", "RH1"}}), "编号RH1，{x}");
    EXPECT_EQ(fill_text("{", {}), "{");
    EXPECT_EQ(fill_text("{a}{a}", {{"a", "1"}}), "11");
}

}  // namespace
}  // namespace kayou::dialogs
