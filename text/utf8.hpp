#pragma once
// UTF-8 helpers shared by the channels (byte limits), the validators (full-width input) and FAQ
// retrieval (folding). Pure functions: no locale, no I/O.
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// ASCII classes of one code point (after fold_width, full-width digits and letters are ASCII).
constexpr bool is_ascii_digit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }
constexpr bool is_ascii_alnum(char32_t cp) {
    return is_ascii_digit(cp) || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z');
}

// Decodes UTF-8 into code points; malformed sequences become U+FFFD one byte at a time, so any
// byte string from the network can be processed.
std::u32string decode_utf8(std::string_view bytes);
std::string encode_utf8(std::u32string_view code_points);
void append_utf8(std::string& out, char32_t code_point);

// Number of code points (not bytes); malformed bytes count as one each.
std::size_t code_point_count(std::string_view bytes);

// Punctuation, brackets and spaces that voice input and chat habits put around what a driver
// types ("张三。", "“那运费呢”"). "·" is not one: it joins the parts of a name.
bool is_edge_punctuation(char32_t code_point);

// Full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space become their ASCII
// counterparts: "１３８　０" -> "138 0".
char32_t fold_width(char32_t code_point);
std::string fold_width(std::string_view bytes);

// Removes C0/C1 control characters other than \t \n \r, and malformed bytes.
std::string strip_control(std::string_view bytes);
// A prefix of strip_control(bytes) that is the whole of it or longer than `wanted` bytes,
// cleaning no more of `bytes` than that takes: for text that is cut at a length limit anyway.
std::string strip_control_prefix(std::string_view bytes, std::size_t wanted);

// Largest prefix length <= max_bytes that ends on a code point boundary.
std::size_t utf8_prefix_length(std::string_view bytes, std::size_t max_bytes);

// `text` with every occurrence of `word` replaced by one space (whole UTF-8 sequences only, as
// both are valid UTF-8); an empty word changes nothing.
std::string replace_with_space(std::string text, std::string_view word);
// The same for each of `words`, in their order (put a longer word before one it holds).
std::string replace_each_with_space(std::string text, std::span<const std::string_view> words);
std::string replace_each_with_space(std::string text,
                                    std::initializer_list<std::string_view> words);

// The runs of `text` between any of `marks` (" ", "，", "?" …), in order; an empty run stands
// between two marks side by side. "工伤认定要多久 另外我想入会" -> "工伤认定要多久",
// "另外我想入会".
std::vector<std::string_view> clauses_between(std::string_view text,
                                              std::span<const std::string_view> marks);

// Splits text into chunks of at most max_bytes each, never inside a code point; prefers to break
// after a newline or sentence punctuation in the last quarter of a chunk.
std::vector<std::string> split_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace kayou::text
