#include "text/masks.hpp"

#include <algorithm>
#include <iterator>

#include "text/utf8.hpp"

namespace kayou::text {
namespace {

// Keeps `head` and `tail` code points and stars the rest, when the value has at least `minimum`
// code points; otherwise every code point becomes a star.
std::string mask_middle(std::string_view value, std::size_t head, std::size_t tail,
                        std::size_t minimum) {
    const std::u32string cps = decode_utf8(value);
    std::u32string out;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const bool keep = cps.size() >= minimum && (i < head || i >= cps.size() - tail);
        out.push_back(keep ? cps[i] : U'*');
    }
    return encode_utf8(out);
}

}  // namespace

std::string mask_id_card(std::string_view id) { return mask_middle(id, 4, 4, 15); }

std::string mask_mobile(std::string_view mobile) { return mask_middle(mobile, 3, 4, 11); }

std::string mask_plate(std::string_view plate) { return mask_middle(plate, 2, 2, 5); }

std::string mask_name(std::string_view name) {
    // Keeping only "欧" of "欧阳娜娜" would look like a different surname to a reviewer.
    static constexpr std::u32string_view kCompoundSurnames[] = {
        U"欧阳", U"司马", U"诸葛", U"上官", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"长孙",
        U"宇文", U"司徒", U"夏侯", U"轩辕", U"令狐", U"端木", U"独孤", U"南宫", U"西门", U"百里",
        U"呼延", U"万俟", U"澹台", U"公冶", U"太史", U"申屠", U"闻人", U"赫连", U"钟离", U"宗政",
        U"濮阳", U"淳于", U"单于", U"拓跋", U"左丘", U"东郭", U"羊舌", U"微生", U"梁丘", U"司空"};
    const std::u32string cps = decode_utf8(name);
    if (cps.empty()) return {};
    std::size_t keep = cps.size() > 1 ? 1 : 0;
    if (cps.size() > 2) {
        const std::u32string_view head = std::u32string_view(cps).substr(0, 2);
        if (std::find(std::begin(kCompoundSurnames), std::end(kCompoundSurnames), head) !=
            std::end(kCompoundSurnames)) {
            keep = 2;
        }
    }
    std::u32string out = cps.substr(0, keep);
    out.append(cps.size() - keep, U'*');
    return encode_utf8(out);
}

}  // namespace kayou::text
