#pragma once
// How many billed SMS parts a text becomes. Pure.
//
// Mainland China (Tencent, Aliyun): the length is counted in characters of the whole
// text the handset shows, signature 【…】 included; Chinese, full-width and half-width
// characters all count 1. Up to 70 characters is one message; longer texts are split into
// parts of 67 (parts = ceil(n / 67)): 70 -> 1, 71 -> 2, 134 -> 2, 135 -> 3, 160 -> 3.
//
// International gateways (Twilio) use GSM-7 when every character is in the GSM 03.38 alphabet:
// 160 septets single, 153 per part, with ^ { } [ ] ~ \ | € taking two septets; any other
// character switches the whole text to UCS-2: 70 single, 67 per part, counted in UTF-16 units.
#include <cstddef>
#include <string>
#include <string_view>

namespace kayou::notify {

enum class SegmentRule {
    china_domestic,  // characters, 70 / 67, whatever the script
    gsm_ucs2,        // GSM-7 160 / 153, else UCS-2 70 / 67
};

struct SegmentCount {
    std::size_t units = 0;     // characters (china_domestic), septets (GSM-7) or UTF-16 units
    std::size_t segments = 0;  // billed parts; 0 for an empty text
    bool gsm7 = false;         // true when the GSM-7 limits applied
};

SegmentCount count_segments(std::string_view utf8_text,
                            SegmentRule rule = SegmentRule::china_domestic);

// "【卡友工会】" + body: the text as the handset shows it, which is what gets counted.
std::string with_signature(std::string_view signature, std::string_view body);

}  // namespace kayou::notify
