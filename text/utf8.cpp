#include "text/utf8.hpp"

#include <algorithm>
#include <array>

namespace kayou::text {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Returns the code point starting at bytes[pos] and advances pos; malformed input yields
// U+FFFD and advances one byte.
char32_t next_code_point(std::string_view bytes, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        ++pos;
        return kReplacementChar;
    }
    if (pos + length > bytes.size()) {
        ++pos;
        return kReplacementChar;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[pos + i]);
        if (!is_continuation(byte)) {
            ++pos;
            return kReplacementChar;
        }
        value = (value << 6) | (byte & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        ++pos;
        return kReplacementChar;
    }
    pos += length;
    return value;
}

}  // namespace

bool is_edge_punctuation(char32_t code_point) {
    static const std::u32string marks =
        U" \t\r\n.,!?;:~\"'`、，。！？；：～…—–-“”‘’「」『』（）()[]【】《》<>/\\|*#";
    return marks.find(code_point) != std::u32string::npos || code_point == 0x3000;
}

std::u32string decode_utf8(std::string_view bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) out.push_back(next_code_point(bytes, pos));
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode_utf8(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size() * 3);
    for (char32_t cp : code_points) append_utf8(out, cp);
    return out;
}

std::size_t code_point_count(std::string_view bytes) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < bytes.size(); ++count) next_code_point(bytes, pos);
    return count;
}

char32_t fold_width(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFF01 + 0x21;
    if (cp == 0x3000) return U' ';
    return cp;
}

std::string fold_width(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();)
        append_utf8(out, fold_width(next_code_point(bytes, pos)));
    return out;
}

std::string strip_control(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    // Kept code points are copied as runs of their original bytes: a sequence that decodes
    // without a replacement character is well-formed, so its bytes are its UTF-8 encoding.
    std::size_t run = 0;
    for (std::size_t pos = 0; pos < bytes.size();) {
        // Fast paths for printable ASCII and well-formed three-byte sequences (all of CJK),
        // which are never dropped: this runs over every reply, and the general decoder was
        // ~3 % of a turn's CPU.
        const auto lead = static_cast<unsigned char>(bytes[pos]);
        if (lead >= 0x20 && lead < 0x7F) {
            ++pos;
            continue;
        }
        if ((lead & 0xF0) == 0xE0 && pos + 2 < bytes.size()) {
            const auto second = static_cast<unsigned char>(bytes[pos + 1]);
            const auto third = static_cast<unsigned char>(bytes[pos + 2]);
            const bool overlong = lead == 0xE0 && second < 0xA0;
            const bool surrogate = lead == 0xED && second >= 0xA0;
            const bool replacement = lead == 0xEF && second == 0xBF && third == 0xBD;
            if (is_continuation(second) && is_continuation(third) && !overlong && !surrogate &&
                !replacement) {
                pos += 3;
                continue;
            }
        }
        const std::size_t start = pos;
        const char32_t cp = next_code_point(bytes, pos);
        const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
        const bool dropped =
            cp == kReplacementChar || (control && cp != U'\t' && cp != U'\n' && cp != U'\r');
        if (!dropped) continue;
        out.append(bytes.substr(run, start - run));
        run = pos;
    }
    out.append(bytes.substr(run));
    return out;
}

std::string strip_control_prefix(std::string_view bytes, std::size_t wanted) {
    // Pieces end before a byte that is not a continuation byte, where no sequence can be split,
    // so the cleaned pieces are exactly the cleaned whole.
    std::string clean;
    while (!bytes.empty() && clean.size() <= wanted) {
        std::size_t take = std::min(bytes.size(), wanted + 1 - clean.size());
        while (take < bytes.size() && is_continuation(static_cast<unsigned char>(bytes[take])))
            ++take;
        clean.append(strip_control(bytes.substr(0, take)));
        bytes.remove_prefix(take);
    }
    return clean;
}

std::size_t utf8_prefix_length(std::string_view bytes, std::size_t max_bytes) {
    if (bytes.size() <= max_bytes) return bytes.size();
    std::size_t cut = max_bytes;
    while (cut > 0 && is_continuation(static_cast<unsigned char>(bytes[cut]))) --cut;
    return cut;
}

std::vector<std::string> split_utf8(std::string_view text, std::size_t max_bytes) {
    static constexpr std::array<std::string_view, 6> kBreakAfter = {"\n", "。", "！",
                                                                    "？", "；", ". "};
    std::vector<std::string> chunks;
    if (max_bytes < 4) max_bytes = 4;  // room for one code point of any length
    while (!text.empty()) {
        std::size_t cut = utf8_prefix_length(text, max_bytes);
        if (cut == 0) {
            // Stray continuation bytes at the front: no code point boundary within the limit.
            // Emit them as they are rather than loop forever on an empty chunk.
            cut = 1;
            while (cut < text.size() && cut < max_bytes &&
                   is_continuation(static_cast<unsigned char>(text[cut])))
                ++cut;
        } else if (cut < text.size()) {
            std::size_t best = 0;
            for (auto mark : kBreakAfter) {
                const auto found = text.substr(0, cut).rfind(mark);
                if (found != std::string_view::npos) best = std::max(best, found + mark.size());
            }
            if (best >= cut * 3 / 4) cut = best;
        }
        chunks.emplace_back(text.substr(0, cut));
        text.remove_prefix(cut);
    }
    return chunks;
}

std::string replace_with_space(std::string text, std::string_view word) {
    if (word.empty()) return text;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1))
        text.replace(at, word.size(), " ");
    return text;
}

std::string replace_each_with_space(std::string text, std::span<const std::string_view> words) {
    for (const std::string_view word : words) text = replace_with_space(std::move(text), word);
    return text;
}

std::string replace_each_with_space(std::string text,
                                    std::initializer_list<std::string_view> words) {
    return replace_each_with_space(std::move(text),
                                   std::span<const std::string_view>(words.begin(), words.size()));
}

std::vector<std::string_view> clauses_between(std::string_view text,
                                              std::span<const std::string_view> marks) {
    std::vector<std::string_view> clauses;
    std::size_t begin = 0;
    for (std::size_t at = 0; at <= text.size();) {
        std::size_t width = 0;
        for (const std::string_view mark : marks)
            if (text.substr(at, mark.size()) == mark) width = mark.size();
        if (at < text.size() && width == 0) {
            ++at;
            continue;
        }
        clauses.push_back(text.substr(begin, at - begin));
        at += std::max<std::size_t>(width, 1);
        begin = at;
    }
    return clauses;
}

}  // namespace kayou::text
