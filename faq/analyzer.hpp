#pragma once
// Chinese text analysis for FAQ retrieval: folds what drivers type (full-width, traditional
// characters, voice-to-text without punctuation, pinyin-input typos, dialect words, Chinese
// numerals) onto one canonical form, then cuts it into units for n-gram indexing. Queries and
// question variants go through the same steps, so any fold only has to be consistent, not
// linguistically perfect. Immutable after construction; safe to share between threads.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kayou::faq {

struct Script;

// One indexing unit: a CJK character (its code point), a synonym group (kSynonymBase + group),
// or a digit run / latin word (a hash at or above kHashedBase).
using Unit = std::uint32_t;
inline constexpr Unit kSynonymBase = 0x110000;
inline constexpr Unit kHashedBase = 0x80000000;

// Width, ASCII case and traditional -> simplified folding of one code point.
char32_t fold_char(char32_t c);

// Replaces runs of Chinese numerals with decimal digits: "三个月" -> "3个月", "一万二" -> "12000",
// "百分之五十" -> "百分之50". Runs without a digit character ("千万", "百") are left alone.
std::u32string fold_numbers(std::u32string_view text);

class Analyzer {
public:
    // Without synonyms or corrections.
    Analyzer();
    // Uses the script's synonym groups and corrections.
    explicit Analyzer(const Script& script);

    // The folded text: characters folded, punctuation, emoji and filler particles turned into
    // spaces, corrections applied, numerals as digits. Useful in tests and for debugging.
    std::u32string fold(std::string_view text) const;

    // Units of the folded text, in segments split at spaces/punctuation (n-grams never cross a
    // segment). Synonyms become the unit of their group.
    std::vector<std::vector<Unit>> segments(std::string_view text) const;

    // Readable form of a unit, for explanations: the character, "{工资}" for a synonym group,
    // or "#" for a hashed unit.
    std::string describe(Unit unit) const;

    std::size_t synonym_groups() const { return canonical_.size(); }

    // Pronouns, 把/被, 这/那 and similar: frequent, and meaningless in a bigram.
    bool is_function_unit(Unit unit) const;

private:
    // Hashes u32string and u32string_view alike, so matching looks up substrings without
    // allocating a key for every position and length.
    struct PhraseHash {
        using is_transparent = void;
        std::size_t operator()(std::u32string_view text) const {
            return std::hash<std::u32string_view>{}(text);
        }
    };
    struct PhraseTable {
        std::unordered_map<std::u32string, std::uint32_t, PhraseHash, std::equal_to<>> phrases;
        // The longest phrase starting with each character: most positions of a text start no
        // phrase at all, and the others need not try every length up to the longest overall.
        std::unordered_map<char32_t, std::size_t> longest_from;
        void add(std::u32string phrase, std::uint32_t value);
        // Length of the longest phrase starting at pos (0 if none) and its value.
        std::size_t match(std::u32string_view text, std::size_t pos, std::uint32_t& value) const;
    };

    std::u32string fold_chars(std::string_view text) const;
    std::u32string apply_corrections(std::u32string_view text) const;

    // Words whose particle characters are not folded away (kWordsWithParticles and the synonym
    // phrases with 了), folded by fold_char.
    std::vector<std::u32string> words_with_particles_;
    PhraseTable corrections_;  // value: index into correction_targets_
    std::vector<std::u32string> correction_targets_;
    PhraseTable synonyms_;  // value: group index
    std::vector<std::string> canonical_;
    std::vector<bool> function_group_;  // synonym groups whose canonical is a function word
};

}  // namespace kayou::faq
