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
        // The code alone, as the page shows it.
        {"5R92-BA4R", "5R92-BA4R"},
        {" ５Ｒ９２－ＢＡ４Ｒ ", "5R92-BA4R"},
        {"ABCD-EFGH", std::nullopt},  // letters only: a word, not a code
        {"2345-6789", std::nullopt},  // digits only: a number
        {"5R92BA4R", std::nullopt},   // without its hyphen it could be anything
        {"0O12-BA4R", std::nullopt},  // 0 and O are not in the alphabet
        // Inside a sentence that speaks of binding (benefits helper, session 21: "不客气" and
        // "没看懂" answered these).
        {"绑定 V2QY-H67B 谢谢", "V2QY-H67B"},
        {"码是V2QY-H67B", "V2QY-H67B"},
        {"帮定 V2QYH67B", "V2QYH67B"},
        {"你好 我的绑定码V2QY-H67B 麻烦了", "V2QY-H67B"},
        {"绑定码是 v2qy h67b", "v2qy h67b"},
        {"验证码是123456", std::nullopt},
        {"绑定手机号13912345678", std::nullopt},
        {"加油卡怎么绑定", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(bind_request(c.text), c.code) << c.text;
}

}  // namespace
}  // namespace kayou::dialogs
