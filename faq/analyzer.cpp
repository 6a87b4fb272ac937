#include "faq/analyzer.hpp"

#include <algorithm>

#include "faq/script.hpp"
#include "faq/trad_simp_table.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

bool is_cjk(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_latin(char32_t c) { return c >= U'a' && c <= U'z'; }

// Sentence-final particles and interjections carry tone, not meaning; as separators they also
// stop n-grams like "的工" from linking unrelated words.
bool is_filler(char32_t c) {
    static constexpr char32_t kFillers[] = {U'的', U'了', U'吗', U'呢', U'啊', U'吧', U'呀',
                                            U'哦', U'嘛', U'啦', U'哈', U'嗯', U'哎', U'唉',
                                            U'哇', U'呐', U'咧', U'诶', U'嘞', U'喔', U'噢'};
    return std::find(std::begin(kFillers), std::end(kFillers), c) != std::end(kFillers);
}

// Words in which a particle character is part of the meaning: "私了" (settling an accident
// without the police or a court) must not fold to "私", nor "了结" to "结". The script's synonym
// phrases with 了 join them (Analyzer::Analyzer).
constexpr std::u32string_view kWordsWithParticles[] = {U"私了", U"了结", U"目的"};

// Whether chars[i] lies inside one of `words`.
bool in_word_with_particle(const std::u32string& chars, std::size_t i,
                           const std::vector<std::u32string>& words) {
    for (const std::u32string_view word : words)
        for (std::size_t offset = 0; offset < word.size(); ++offset) {
            if (i < offset || chars[i] != word[offset]) continue;
            if (std::u32string_view(chars).substr(i - offset, word.size()) == word) return true;
        }
    return false;
}

int numeral_digit(char32_t c) {
    switch (c) {
        case U'零':
        case U'〇':
            return 0;
        case U'一':
        case U'幺':
            return 1;
        case U'二':
        case U'两':
            return 2;
        case U'三':
            return 3;
        case U'四':
            return 4;
        case U'五':
            return 5;
        case U'六':
            return 6;
        case U'七':
            return 7;
        case U'八':
            return 8;
        case U'九':
            return 9;
        default:
            return -1;
    }
}
long long numeral_unit(char32_t c) {
    switch (c) {
        case U'十':
            return 10;
        case U'百':
            return 100;
        case U'千':
            return 1000;
        case U'万':
            return 10000;
        default:
            return 0;
    }
}

// Value of a run of numeral characters. Handles "十二", "二十", "三百五十", "一万二" (colloquial
// 12000), "三千五" (3500); a run without units ("一二三") is read digit by digit.
std::u32string numeral_value(std::u32string_view run) {
    const bool has_unit =
        std::any_of(run.begin(), run.end(), [](char32_t c) { return numeral_unit(c) != 0; });
    std::u32string out;
    if (!has_unit) {
        for (char32_t c : run) out.push_back(U'0' + numeral_digit(c));
        return out;
    }
    long long total = 0, section = 0, number = 0, last_unit = 1;
    bool digit_after_unit = false;
    for (char32_t c : run) {
        if (const int d = numeral_digit(c); d >= 0) {
            number = d;
            digit_after_unit = last_unit > 1;
        } else {
            const long long unit = numeral_unit(c);
            if (unit == 10000) {
                total += (section + number) * unit;
                section = 0;
            } else {
                section += (number == 0 && unit == 10 ? 1 : number) * unit;
            }
            number = 0;
            last_unit = unit;
            digit_after_unit = false;
        }
    }
    // "一万二" and "三千五": a trailing digit right after a unit counts in the next lower unit.
    if (digit_after_unit && last_unit >= 100) number *= last_unit / 10;
    total += section + number;
    for (const char ch : std::to_string(total)) out.push_back(static_cast<char32_t>(ch));
    return out;
}

constexpr char32_t kFunctionChars[] = {U'我', U'你', U'他', U'她', U'它', U'把', U'被', U'这',
                                       U'那', U'就', U'都', U'也', U'又', U'很', U'太', U'是',
                                       U'个', U'和', U'跟', U'与', U'您', U'咱', U'俺', U'啥'};
constexpr std::string_view kFunctionWords[] = {"我", "你", "他", "什么", "这个", "那个"};

Unit hash_unit(std::u32string_view text) {
    // FNV-1a; collisions only merge two rare tokens, which costs a little precision.
    std::uint32_t hash = 2166136261u;
    for (char32_t c : text) {
        hash ^= static_cast<std::uint32_t>(c);
        hash *= 16777619u;
    }
    return kHashedBase | (hash % 0x7FFFFFFEu);
}

}  // namespace

char32_t fold_char(char32_t c) {
    c = text::fold_width(c);
    if (c >= U'A' && c <= U'Z') return c - U'A' + U'a';
    if (c >= 0x3400 && c <= 0x9FFF) {
        const auto& table = detail::kTradSimpPairs;
        const auto it = std::lower_bound(table.begin(), table.end(), c,
                                         [](const detail::TradSimpPair& pair, char32_t value) {
                                             return pair.traditional < value;
                                         });
        if (it != table.end() && it->traditional == c) return it->simplified;
    }
    return c;
}

std::u32string fold_numbers(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t end = i;
        bool has_digit = false;
        while (end < text.size() &&
               (numeral_digit(text[end]) >= 0 || numeral_unit(text[end]) != 0)) {
            has_digit = has_digit || numeral_digit(text[end]) >= 0 || text[end] == U'十';
            ++end;
        }
        if (end == i) {
            out.push_back(text[i++]);
        } else if (!has_digit) {
            out.append(text.substr(i, end - i));
            i = end;
        } else {
            out += numeral_value(text.substr(i, end - i));
            i = end;
        }
    }
    return out;
}

void Analyzer::PhraseTable::add(std::u32string phrase, std::uint32_t value) {
    if (phrase.empty()) return;
    std::size_t& longest = longest_from[phrase.front()];
    longest = std::max(longest, phrase.size());
    phrases.emplace(std::move(phrase), value);
}

std::size_t Analyzer::PhraseTable::match(std::u32string_view text, std::size_t pos,
                                         std::uint32_t& value) const {
    if (pos >= text.size()) return 0;
    const auto starting = longest_from.find(text[pos]);
    if (starting == longest_from.end()) return 0;
    const std::size_t longest = std::min(starting->second, text.size() - pos);
    for (std::size_t length = longest; length > 0; --length) {
        if (const auto it = phrases.find(text.substr(pos, length)); it != phrases.end()) {
            value = it->second;
            return length;
        }
    }
    return 0;
}

Analyzer::Analyzer()
    : words_with_particles_(std::begin(kWordsWithParticles), std::end(kWordsWithParticles)) {}

Analyzer::Analyzer(const Script& script) : Analyzer() {
    // 了 inside a synonym phrase marks a finished action that is the phrase's meaning ("人没了",
    // "扣了分", "封了号"); folded away it left phrases that could never match. A phrase ending in
    // 吗 ("能吗") stays as it was: kept, it would also swallow "可能吗".
    for (const auto& group : script.synonyms)
        for (const auto& phrase : group) {
            std::u32string chars = text::decode_utf8(phrase);
            for (char32_t& c : chars) c = fold_char(c);
            if (chars.find(U'了') != std::u32string::npos) words_with_particles_.push_back(chars);
        }
    // Corrections first, because synonym phrases are folded through them too.
    for (const auto& [wrong, right] : script.corrections) {
        correction_targets_.push_back(fold_chars(right));
        corrections_.add(fold_chars(wrong),
                         static_cast<std::uint32_t>(correction_targets_.size() - 1));
    }
    for (const auto& group : script.synonyms) {
        const auto index = static_cast<std::uint32_t>(canonical_.size());
        canonical_.push_back(group.front());
        function_group_.push_back(std::find(std::begin(kFunctionWords), std::end(kFunctionWords),
                                            group.front()) != std::end(kFunctionWords));
        for (const auto& phrase : group) {
            // A phrase that folds into several segments could never match as a whole.
            const auto folded = fold(phrase);
            if (folded.find(U' ') == std::u32string::npos) synonyms_.add(folded, index);
        }
    }
}

std::u32string Analyzer::fold_chars(std::string_view text) const {
    std::u32string chars = text::decode_utf8(text);
    for (char32_t& c : chars) c = fold_char(c);
    std::u32string out;
    out.reserve(chars.size());
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const char32_t c = chars[i];
        const bool keep = is_cjk(c) || is_digit(c) || is_latin(c);
        const bool separator =
            is_filler(c) && !in_word_with_particle(chars, i, words_with_particles_);
        out.push_back(keep && !separator ? c : U' ');
    }
    return out;
}

std::u32string Analyzer::apply_corrections(std::u32string_view text) const {
    if (corrections_.phrases.empty()) return std::u32string(text);
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t target = 0;
        if (const auto length = corrections_.match(text, i, target); length > 0) {
            out += correction_targets_[target];
            i += length;
        } else {
            out.push_back(text[i++]);
        }
    }
    return out;
}

std::u32string Analyzer::fold(std::string_view text) const {
    return fold_numbers(apply_corrections(fold_chars(text)));
}

std::vector<std::vector<Unit>> Analyzer::segments(std::string_view text) const {
    const std::u32string folded = fold(text);
    std::vector<std::vector<Unit>> out;
    std::vector<Unit> current;
    auto flush = [&] {
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
    };
    for (std::size_t i = 0; i < folded.size();) {
        const char32_t c = folded[i];
        if (c == U' ') {
            flush();
            ++i;
            continue;
        }
        std::uint32_t group = 0;
        if (const auto length = synonyms_.match(folded, i, group); length > 0) {
            current.push_back(kSynonymBase + group);
            i += length;
        } else if (is_digit(c) || is_latin(c)) {
            // A digit run or a latin word is one unit: "12351", "etc", "app".
            std::size_t end = i;
            while (end < folded.size() && (is_digit(folded[end]) == is_digit(c)) &&
                   (is_digit(folded[end]) || is_latin(folded[end])))
                ++end;
            current.push_back(hash_unit(std::u32string_view(folded).substr(i, end - i)));
            i = end;
        } else {
            current.push_back(static_cast<Unit>(c));
            ++i;
        }
    }
    flush();
    return out;
}

bool Analyzer::is_function_unit(Unit unit) const {
    if (unit >= kHashedBase) return false;
    if (unit >= kSynonymBase) {
        const auto group = unit - kSynonymBase;
        return group < function_group_.size() && function_group_[group];
    }
    return std::find(std::begin(kFunctionChars), std::end(kFunctionChars),
                     static_cast<char32_t>(unit)) != std::end(kFunctionChars);
}

std::string Analyzer::describe(Unit unit) const {
    if (unit >= kHashedBase) return "#";
    if (unit >= kSynonymBase && unit - kSynonymBase < canonical_.size())
        return "{" + canonical_[unit - kSynonymBase] + "}";
    std::string out;
    text::append_utf8(out, static_cast<char32_t>(unit));
    return out;
}

}  // namespace kayou::faq
