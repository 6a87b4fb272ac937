// The QR encoder checked by a decoder written here, independently of text/qr.cpp: finder and
// timing patterns, both copies of the format bits (BCH code), the version bits, every block's
// Reed-Solomon syndromes (all zero), and the byte-mode payload read back.
#include "text/qr.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using kayou::text::QrCode;
using kayou::text::QrEcc;

// GF(256), polynomial 0x11D, by exp/log tables (the encoder multiplies bit by bit).
struct Field {
    int exp[512];
    int log[256];
    Field() {
        int x = 1;
        for (int i = 0; i < 255; ++i) {
            exp[i] = x;
            log[x] = i;
            x <<= 1;
            if (x & 0x100) x ^= 0x11D;
        }
        for (int i = 255; i < 512; ++i) exp[i] = exp[i - 255];
    }
    int mul(int a, int b) const { return a == 0 || b == 0 ? 0 : exp[log[a] + log[b]]; }
};
const Field gf;

// {ec per block, {data codewords per block...}} for level M, versions 1-10 (ISO/IEC 18004 table 9).
struct Blocks {
    int ec;
    std::vector<int> data;
};
Blocks medium_blocks(int version) {
    switch (version) {
        case 1:
            return {10, {16}};
        case 2:
            return {16, {28}};
        case 3:
            return {26, {44}};
        case 4:
            return {18, {32, 32}};
        case 5:
            return {24, {43, 43}};
        case 6:
            return {16, {27, 27, 27, 27}};
        case 7:
            return {18, {31, 31, 31, 31}};
        case 8:
            return {22, {38, 38, 39, 39}};
        case 9:
            return {22, {36, 36, 36, 37, 37}};
        default:
            return {26, {43, 43, 43, 43, 44}};
    }
}

int bch_remainder(int value, int generator, int generator_degree) {
    for (int i = 30; i >= generator_degree; --i)
        if (value & (1 << i)) value ^= generator << (i - generator_degree);
    return value;
}

// Which modules are not data: computed from the standard's picture, not from the encoder.
std::vector<bool> reserved(int version) {
    const int n = 17 + 4 * version;
    std::vector<bool> r(static_cast<std::size_t>(n * n), false);
    auto mark = [&](int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; ++y)
            for (int x = x0; x < x0 + w; ++x) r[static_cast<std::size_t>(y * n + x)] = true;
    };
    mark(0, 0, 9, 9);      // finder, separator, format bits (top left)
    mark(n - 8, 0, 8, 9);  // top right
    mark(0, n - 8, 9, 8);  // bottom left (with the dark module)
    mark(6, 0, 1, n);      // timing
    mark(0, 6, n, 1);
    if (version >= 7) {
        mark(n - 11, 0, 3, 6);
        mark(0, n - 11, 6, 3);
    }
    std::vector<int> centres;
    if (version >= 2) {
        const int last = n - 7;
        const int count = version / 7 + 2;
        // Versions 2-10: evenly spaced from 6 to size-7 (steps rounded up to even numbers).
        const int step = count == 2 ? last - 6 : ((last - 6) / (count - 1) + 1) / 2 * 2;
        centres.push_back(6);
        for (int i = count - 1; i >= 1; --i)
            centres.insert(centres.begin() + 1, last - (count - 1 - i) * step);
    }
    std::set<int> unique(centres.begin(), centres.end());
    centres.assign(unique.begin(), unique.end());
    for (int cy : centres)
        for (int cx : centres) {
            const bool finder =
                (cx == 6 && cy == 6) || (cx == 6 && cy == n - 7) || (cx == n - 7 && cy == 6);
            if (!finder) mark(cx - 2, cy - 2, 5, 5);
        }
    return r;
}

bool masked(int mask, int row, int col) {
    const int i = row, j = col;
    switch (mask) {
        case 0:
            return (i + j) % 2 == 0;
        case 1:
            return i % 2 == 0;
        case 2:
            return j % 3 == 0;
        case 3:
            return (i + j) % 3 == 0;
        case 4:
            return (i / 2 + j / 3) % 2 == 0;
        case 5:
            return (i * j) % 2 + (i * j) % 3 == 0;
        case 6:
            return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
        default:
            return ((i * j) % 3 + (i + j) % 2) % 2 == 0;
    }
}

// Decodes `code` and returns its payload; every check on the way is a gtest failure.
std::string decode(const QrCode& code) {
    const int n = code.size;
    EXPECT_EQ(n, 17 + 4 * code.version);
    auto dark = [&](int x, int y) { return code.dark(x, y); };
    // Finder patterns.
    for (auto [ox, oy] : {std::pair{0, 0}, std::pair{n - 7, 0}, std::pair{0, n - 7}})
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x) {
                const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
                const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                EXPECT_EQ(dark(ox + x, oy + y), ring || centre) << ox << "," << oy;
            }
    // Timing patterns.
    for (int i = 8; i < n - 8; ++i) {
        EXPECT_EQ(dark(i, 6), i % 2 == 0);
        EXPECT_EQ(dark(6, i), i % 2 == 0);
    }
    EXPECT_TRUE(dark(8, n - 8));  // the dark module
    // Format bits, copy 1 (around the top-left finder), bit 14 first.
    int format1 = 0;
    const std::vector<std::pair<int, int>> copy1{{0, 8}, {1, 8}, {2, 8}, {3, 8}, {4, 8},
                                                 {5, 8}, {7, 8}, {8, 8}, {8, 7}, {8, 5},
                                                 {8, 4}, {8, 3}, {8, 2}, {8, 1}, {8, 0}};
    for (auto [x, y] : copy1) format1 = format1 << 1 | (dark(x, y) ? 1 : 0);
    int format2 = 0;
    for (int y = n - 1; y >= n - 7; --y) format2 = format2 << 1 | (dark(8, y) ? 1 : 0);
    for (int x = n - 8; x < n; ++x) format2 = format2 << 1 | (dark(x, 8) ? 1 : 0);
    EXPECT_EQ(format1, format2);
    const int format = format1 ^ 0x5412;
    EXPECT_EQ(bch_remainder(format, 0x537, 10), 0);
    const int level = format >> 13, mask = (format >> 10) & 7;
    EXPECT_EQ(level, code.ecc == QrEcc::medium ? 0 : 1);
    EXPECT_EQ(mask, code.mask);
    if (code.version >= 7) {
        int bits = 0;
        for (int i = 17; i >= 0; --i) bits = bits << 1 | (dark(n - 11 + i % 3, i / 3) ? 1 : 0);
        EXPECT_EQ(bits >> 12, code.version);
        EXPECT_EQ(bch_remainder(bits, 0x1F25, 12), 0);
        int mirrored = 0;
        for (int i = 17; i >= 0; --i)
            mirrored = mirrored << 1 | (dark(i / 3, n - 11 + i % 3) ? 1 : 0);
        EXPECT_EQ(mirrored, bits);
    }
    // Data modules in the zigzag order, unmasked.
    const auto r = reserved(code.version);
    std::vector<int> bits;
    bool up = true;
    for (int col = n - 1; col > 0; col -= 2) {
        if (col == 6) col = 5;
        for (int k = 0; k < n; ++k) {
            const int row = up ? n - 1 - k : k;
            for (int c : {col, col - 1})
                if (!r[static_cast<std::size_t>(row * n + c)])
                    bits.push_back((dark(c, row) ? 1 : 0) ^ (masked(mask, row, c) ? 1 : 0));
        }
        up = !up;
    }
    std::vector<int> words;
    for (std::size_t i = 0; i + 8 <= bits.size(); i += 8) {
        int w = 0;
        for (std::size_t j = 0; j < 8; ++j) w = w << 1 | bits[i + j];
        words.push_back(w);
    }
    const Blocks layout = medium_blocks(code.version);
    const std::size_t count = layout.data.size();
    std::vector<std::vector<int>> blocks(count);
    std::size_t pos = 0;
    int longest = 0;
    for (int d : layout.data) longest = std::max(longest, d);
    for (int i = 0; i < longest; ++i)
        for (std::size_t b = 0; b < count; ++b)
            if (i < layout.data[b]) blocks[b].push_back(words.at(pos++));
    std::vector<int> data;
    for (const auto& block : blocks) data.insert(data.end(), block.begin(), block.end());
    for (int i = 0; i < layout.ec; ++i)
        for (std::size_t b = 0; b < count; ++b) blocks[b].push_back(words.at(pos++));
    // Every syndrome of every block is zero: S_k = c(alpha^k), k = 0 .. ec-1.
    for (const auto& block : blocks)
        for (int k = 0; k < layout.ec; ++k) {
            int s = 0;
            for (int c : block) s = gf.mul(s, gf.exp[k]) ^ c;
            EXPECT_EQ(s, 0) << "syndrome " << k;
        }
    // Byte mode, count, bytes.
    std::size_t bit = 0;
    auto read = [&](int width) {
        int v = 0;
        for (int i = 0; i < width; ++i, ++bit)
            v = v << 1 | ((data.at(bit / 8) >> (7 - bit % 8)) & 1);
        return v;
    };
    EXPECT_EQ(read(4), 0b0100);
    const int length = read(code.version <= 9 ? 8 : 16);
    std::string out;
    for (int i = 0; i < length; ++i) out.push_back(static_cast<char>(read(8)));
    return out;
}

TEST(QrEncode, DecodesBackAtEveryVersionAndMask) {
    std::set<int> versions;
    // Lengths that land on each version at level M (capacities 14, 26, 42, 62, 84, 106, 122,
    // 152, 180, 213 bytes).
    for (std::size_t length : {1u, 14u, 20u, 40u, 60u, 80u, 100u, 120u, 150u, 178u, 213u}) {
        std::string payload;
        for (std::size_t i = 0; i < length; ++i)
            payload.push_back(static_cast<char>('!' + (i * 7) % 90));
        for (int mask = 0; mask < 8; ++mask) {
            auto code = kayou::text::qr_encode(payload, QrEcc::medium, mask);
            ASSERT_TRUE(code) << length;
            versions.insert(code->version);
            EXPECT_EQ(decode(*code), payload) << "length " << length << " mask " << mask;
        }
    }
    EXPECT_EQ(versions, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(QrEncode, PicksTheSmallestVersion) {
    struct Case {
        std::size_t length;
        int version;
    };
    for (auto c :
         std::vector<Case>{{14, 1}, {15, 2}, {106, 6}, {107, 7}, {180, 9}, {181, 10}, {213, 10}}) {
        auto code = kayou::text::qr_encode(std::string(c.length, 'a'));
        ASSERT_TRUE(code) << c.length;
        EXPECT_EQ(code->version, c.version) << c.length;
    }
    EXPECT_FALSE(kayou::text::qr_encode(std::string(214, 'a')));
    EXPECT_EQ(kayou::text::qr_encode("x", QrEcc::low)->version, 1);
    EXPECT_FALSE(kayou::text::qr_encode("x", QrEcc::medium, 8));
}

TEST(QrEncode, ChoosesTheMaskWithTheLowestPenalty) {
    const std::string url =
        "https://kayou.example.cn/join/"
        "p?t=eyJlIjoxNzk4NzYxNjAwLCJwIjoiUDdLM1FYIn0.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    auto chosen = kayou::text::qr_encode(url);
    ASSERT_TRUE(chosen);
    EXPECT_EQ(decode(*chosen), url);
    std::set<int> penalties;
    for (int mask = 0; mask < 8; ++mask) {
        auto forced = kayou::text::qr_encode(url, QrEcc::medium, mask);
        penalties.insert(kayou::text::qr_penalty(*forced));
        EXPECT_LE(kayou::text::qr_penalty(*chosen), kayou::text::qr_penalty(*forced)) << mask;
    }
    EXPECT_GT(penalties.size(), 1u);  // the masks differ, so the choice means something
}

TEST(QrPenalty, ScoresKnownPatterns) {
    // An all-light 21x21 "symbol": N1 = 2 * 21 * (3 + 16), N2 = 20 * 20 * 3, N4 = 10 * 10.
    QrCode light;
    light.version = 1;
    light.size = 21;
    light.modules.assign(21 * 21, 0);
    EXPECT_EQ(kayou::text::qr_penalty(light), 2 * 21 * 19 + 400 * 3 + 100);
}

TEST(QrSvg, DrawsEveryDarkModuleAndNothingElse) {
    auto code = kayou::text::qr_encode("https://kayou.example.cn/join/p?t=x");
    ASSERT_TRUE(code);
    const auto svg = kayou::text::qr_svg(*code, 4);
    int dark = 0;
    for (auto m : code->modules) dark += m;
    std::size_t squares = 0;
    for (std::size_t at = svg.find("h1v1h-1z"); at != std::string::npos;
         at = svg.find("h1v1h-1z", at + 1))
        ++squares;
    EXPECT_EQ(squares, static_cast<std::size_t>(dark));
    const int side = (code->size + 8) * 4;
    EXPECT_NE(svg.find("width=\"" + std::to_string(side) + "\""), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("href"), std::string::npos);
    // The top-left finder's corner module sits inside the quiet zone's edge.
    EXPECT_NE(svg.find("M4,4h1v1h-1z"), std::string::npos);
}

}  // namespace
