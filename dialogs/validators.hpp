#pragma once
// Validators for the join dialog's slots (DESIGN.md "Join"). Pure functions: no I/O, no clock
// (the caller passes today's date), no locale. Input is whatever the driver typed; the result is
// either the normalized value to store or a short Chinese message telling the driver what to fix.
#include <string>
#include <string_view>

namespace kayou::dialogs {

struct Validated {
    bool ok = false;
    std::string value;  // normalized on success
    std::string error;  // friendly Chinese message on failure: what is wrong and how to write it
    // Stable machine-readable reason on failure ("id_card.check_digit", ...), for tests, metrics
    // and logs: unlike `error` it never changes with wording and never holds personal data.
    std::string code;
};

// 2–20 characters of Chinese (CJK unified ideographs incl. extensions A–H, compatibility
// ideographs) or of Latin letters, not both. Parts of minority and foreign names are joined by
// "·"; "・", "•", "‧" and "." are accepted and normalized to U+00B7. Spaces are trimmed; spaces
// inside a Chinese name are dropped, inside a Latin name collapsed to one. A leading "我叫" /
// "我是" / "姓名：" is dropped, because drivers answer "我叫张三" and that must not become the
// name.
Validated validate_name(std::string_view input);

// 18-character citizen ID number (GB 11643-1999), also HK/Macau/Taiwan residence-permit numbers
// (810000/820000/830000) which follow the same standard. Spaces, dashes and full-width characters
// are tolerated; "x" becomes "X". Checks, in order: characters, length (15-digit old numbers get
// their own message), province code (GB/T 2260), birth date (real calendar, not in the future),
// the ISO 7064 MOD 11-2 check digit, then age 16–70 inclusive on `today_yyyymmdd` (the age in full
// years goes up on the birthday; a 29 February birthday counts from 1 March in common years).
Validated validate_id_card(std::string_view input, int today_yyyymmdd);

// The birth date (yyyymmdd) of a normalized 18-character ID number, or 0 when positions 7–14 are
// not digits. Does not check the calendar; validate_id_card does.
int id_card_birth_date(std::string_view normalized);

// Age in full years on `today_yyyymmdd` of someone born on `birth_yyyymmdd` (both yyyymmdd).
int age_on(int birth_yyyymmdd, int today_yyyymmdd);

// Mainland mobile: 11 digits starting 13–19. Tolerates +86 / 86 / 0086 prefixes, spaces, dashes,
// dots, parentheses and full-width digits. Landlines and non-mainland numbers get their own
// message. Normalized value: the 11 digits.
Validated validate_mobile(std::string_view input);

// Mainland vehicle plate (GA 36): province abbreviation + issuing-authority letter (A–Z, not I or
// O) + either 5 characters of A–Z (not I/O) and 0–9 (ordinary), or 6 for new-energy vehicles
// (small: D/F, then a letter or digit, then 4 digits; large: 5 digits then D/F), or 4 characters
// + "挂" (trailer: drivers of tractor units give the trailer plate too), or 粤Z + 4 characters +
// "港"/"澳" (Guangdong cross-border trucks). Spaces, "·", "•", ".", "-" and lower case are
// tolerated. Normalized: "苏D12345", "粤BD12345", "苏D1234挂". Police, embassy, coach (学) and
// Hong Kong/Macau plates are rejected: they are not mainland truck plates. A driver with no truck
// he drives regularly answers "无", "没有", "没车" …: normalized kNoPlate.
Validated validate_plate(std::string_view input);

// The plate of a driver with no truck he drives regularly (a hired or relief driver).
inline constexpr std::string_view kNoPlate = "无";

// Whole answers that mean "no plate" (after separators are removed): 无, 没有, 没车, 不固定 …
bool means_no_plate(std::u32string_view answer);
// "我没有自己的车 开的老板的车", "车牌不记得了 公司的车 天天换": about the truck, with no plate;
// validate_plate says what to send instead.
bool explains_no_plate(std::u32string_view text);

// Employer or platform, optional: 1–50 characters after trimming. Answers that mean "none"
// ("无", "没有", "个体", "自己的车", "不挂靠", "跳过", ...) and an empty answer are ok with an
// empty value: the driver goes to the turnover pool. An ID or mobile number typed here is refused
// so that it is not stored as an employer name.
Validated validate_employer(std::string_view input);

}  // namespace kayou::dialogs
