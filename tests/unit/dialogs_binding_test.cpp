// "绑定 <code>": which messages are bind requests (dialogs/binding_dialog.hpp), pure.
#include <gtest/gtest.h>

#include "dialogs/binding_dialog.hpp"

namespace kayou::dialogs {
namespace {

TEST(BindRequest, FindsTheCodeInWhatADriverTypes) {
    struct Case {
        std::string_view text;
        std::optional<std::string> code;
    };
    const Case cases[] = {
        {"绑定 ABCD-2345", "ABCD-2345"},
        {"绑定ABCD-2345", "ABCD-2345"},
        {"绑定码：ABCD-2345", "ABCD-2345"},
        {"绑定码: abcd2345", "abcd2345"},
        {"  绑定 ＡＢＣＤ－２３４５。", "ABCD-2345"},
        {"绑定，ABCD 2345", "ABCD 2345"},
        {"绑定", ""},
        {"绑定码", ""},
        {"绑定手机号", std::nullopt},
        {"怎么绑定", std::nullopt},
        {"我要入会", std::nullopt},
        {"进度", std::nullopt},
        {"", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(bind_request(c.text), c.code) << c.text;
}

}  // namespace
}  // namespace kayou::dialogs
