#pragma once
// Personal data out of a driver's free text before it is kept for content editors (the
// missed-questions inbox, faq/missed.hpp): ID numbers, mobile and landline numbers, bank card
// numbers, plates, WeChat ids and the name after 我叫/我是/本人/姓名 become placeholders. Amounts
// ("欠了我20000元"), dates and article numbers stay: they are what the question is about. Pure.
#include <string>
#include <string_view>

namespace kayou::faq {

inline constexpr std::string_view kScrubbedId = "〔身份证号〕";
inline constexpr std::string_view kScrubbedMobile = "〔手机号〕";
inline constexpr std::string_view kScrubbedPhone = "〔电话〕";
inline constexpr std::string_view kScrubbedCard = "〔卡号〕";
inline constexpr std::string_view kScrubbedPlate = "〔车牌〕";
inline constexpr std::string_view kScrubbedName = "〔姓名〕";
inline constexpr std::string_view kScrubbedAccount = "〔账号〕";
inline constexpr std::string_view kScrubbedNumber = "〔号码〕";

std::string scrub_personal_data(std::string_view text);

// What a search reads of a driver's text: the numbers, plates and accounts scrub_personal_data
// replaces, replaced by a space (names stay: "我是车主" would lose 车主).
// A plate or a phone number in a story says nothing of what is asked and, as words no entry
// holds, drew "苏D12345的车主欠我两个月工资 咋办" away from the wage answer. Text without a Latin
// letter or a digit is returned as it is (the common case costs one pass).
std::string without_personal_data_for_search(std::string_view text);

}  // namespace kayou::faq
