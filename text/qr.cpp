#include "text/qr.hpp"

#include <array>
#include <cstdlib>
#include <limits>

namespace kayou::text {
namespace {

// Per version (index 1-10): error correction codewords per block, blocks in group 1 with their
// data codewords, blocks in group 2 (one data codeword more). ISO/IEC 18004 table 9.
struct BlockLayout {
    int ec_per_block;
    int blocks1, data1;
    int blocks2, data2;
};
constexpr std::array<BlockLayout, 11> kLow{{{0, 0, 0, 0, 0},
                                            {7, 1, 19, 0, 0},
                                            {10, 1, 34, 0, 0},
                                            {15, 1, 55, 0, 0},
                                            {20, 1, 80, 0, 0},
                                            {26, 1, 108, 0, 0},
                                            {18, 2, 68, 0, 0},
                                            {20, 2, 78, 0, 0},
                                            {24, 2, 97, 0, 0},
                                            {30, 2, 116, 0, 0},
                                            {18, 2, 68, 2, 69}}};
constexpr std::array<BlockLayout, 11> kMedium{{{0, 0, 0, 0, 0},
                                               {10, 1, 16, 0, 0},
                                               {16, 1, 28, 0, 0},
                                               {26, 1, 44, 0, 0},
                                               {18, 2, 32, 0, 0},
                                               {24, 2, 43, 0, 0},
                                               {16, 4, 27, 0, 0},
                                               {18, 4, 31, 0, 0},
                                               {22, 2, 38, 2, 39},
                                               {22, 3, 36, 2, 37},
                                               {26, 4, 43, 1, 44}}};

const BlockLayout& layout(QrEcc ecc, int version) {
    return ecc == QrEcc::low ? kLow[static_cast<std::size_t>(version)]
                             : kMedium[static_cast<std::size_t>(version)];
}

int data_codewords(const BlockLayout& l) { return l.blocks1 * l.data1 + l.blocks2 * l.data2; }

// Alignment pattern centres per version (annex E).
std::vector<int> alignment_positions(int version) {
    static const std::vector<std::vector<int>> kTable{
        {},      {},          {6, 18},     {6, 22},     {6, 26},    {6, 30},
        {6, 34}, {6, 22, 38}, {6, 24, 42}, {6, 26, 46}, {6, 28, 50}};
    return kTable[static_cast<std::size_t>(version)];
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
std::uint8_t gf_multiply(std::uint8_t a, std::uint8_t b) {
    int result = 0;
    for (int i = 7; i >= 0; --i) {
        result = (result << 1) ^ ((result >> 7) * 0x11D);
        if ((b >> i) & 1) result ^= a;
    }
    return static_cast<std::uint8_t>(result);
}

// Reed-Solomon remainder of `data` by the generator with roots alpha^0 .. alpha^(degree-1).
std::vector<std::uint8_t> rs_remainder(const std::vector<std::uint8_t>& data, int degree) {
    std::vector<std::uint8_t> generator(static_cast<std::size_t>(degree), 0);
    generator.back() = 1;
    std::uint8_t root = 1;
    for (int i = 0; i < degree; ++i) {
        for (std::size_t j = 0; j < generator.size(); ++j) {
            generator[j] = gf_multiply(generator[j], root);
            if (j + 1 < generator.size()) generator[j] ^= generator[j + 1];
        }
        root = gf_multiply(root, 0x02);
    }
    std::vector<std::uint8_t> result(static_cast<std::size_t>(degree), 0);
    for (auto b : data) {
        const std::uint8_t factor = b ^ result[0];
        result.erase(result.begin());
        result.push_back(0);
        for (std::size_t i = 0; i < result.size(); ++i)
            result[i] ^= gf_multiply(generator[i], factor);
    }
    return result;
}

bool mask_bit(int mask, int x, int y) {
    switch (mask) {
        case 0:
            return (x + y) % 2 == 0;
        case 1:
            return y % 2 == 0;
        case 2:
            return x % 3 == 0;
        case 3:
            return (x + y) % 3 == 0;
        case 4:
            return (x / 3 + y / 2) % 2 == 0;
        case 5:
            return x * y % 2 + x * y % 3 == 0;
        case 6:
            return (x * y % 2 + x * y % 3) % 2 == 0;
        default:
            return ((x + y) % 2 + x * y % 3) % 2 == 0;
    }
}

class Builder {
public:
    Builder(int version, QrEcc ecc)
        : version_(version),
          ecc_(ecc),
          size_(17 + 4 * version),
          dark_(static_cast<std::size_t>(size_ * size_), 0),
          function_(static_cast<std::size_t>(size_ * size_), 0) {}

    void function_patterns() {
        for (int i = 0; i < size_; ++i) {
            set_function(6, i, i % 2 == 0);
            set_function(i, 6, i % 2 == 0);
        }
        finder(3, 3);
        finder(size_ - 4, 3);
        finder(3, size_ - 4);
        const auto positions = alignment_positions(version_);
        const auto n = positions.size();
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                const bool corner =
                    (i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0);
                if (!corner) alignment(positions[i], positions[j]);
            }
        format_bits(0);  // reserves the areas; written again with the mask
        version_bits();
    }

    void place(const std::vector<std::uint8_t>& codewords) {
        std::size_t bit = 0;
        const std::size_t total = codewords.size() * 8;
        for (int right = size_ - 1; right >= 1; right -= 2) {
            if (right == 6) right = 5;
            for (int vert = 0; vert < size_; ++vert)
                for (int j = 0; j < 2; ++j) {
                    const int x = right - j;
                    const bool upward = ((right + 1) & 2) == 0;
                    const int y = upward ? size_ - 1 - vert : vert;
                    if (is_function(x, y) || bit >= total) continue;
                    at(x, y) = (codewords[bit >> 3] >> (7 - (bit & 7))) & 1;
                    ++bit;
                }
        }
    }

    void apply_mask(int mask) {
        for (int y = 0; y < size_; ++y)
            for (int x = 0; x < size_; ++x)
                if (!is_function(x, y) && mask_bit(mask, x, y)) at(x, y) ^= 1;
    }

    void format_bits(int mask) {
        const int ecc_bits = ecc_ == QrEcc::low ? 1 : 0;
        const int data = ecc_bits << 3 | mask;
        int rem = data;
        for (int i = 0; i < 10; ++i) rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        const int bits = (data << 10 | rem) ^ 0x5412;
        auto b = [&](int i) { return ((bits >> i) & 1) != 0; };
        for (int i = 0; i <= 5; ++i) set_function(8, i, b(i));
        set_function(8, 7, b(6));
        set_function(8, 8, b(7));
        set_function(7, 8, b(8));
        for (int i = 9; i < 15; ++i) set_function(14 - i, 8, b(i));
        for (int i = 0; i < 8; ++i) set_function(size_ - 1 - i, 8, b(i));
        for (int i = 8; i < 15; ++i) set_function(8, size_ - 15 + i, b(i));
        set_function(8, size_ - 8, true);  // the dark module
    }

    QrCode result(int mask) const {
        QrCode code;
        code.version = version_;
        code.size = size_;
        code.mask = mask;
        code.ecc = ecc_;
        code.modules = dark_;
        return code;
    }

private:
    std::uint8_t& at(int x, int y) { return dark_[static_cast<std::size_t>(y * size_ + x)]; }
    bool is_function(int x, int y) const {
        return function_[static_cast<std::size_t>(y * size_ + x)] != 0;
    }
    void set_function(int x, int y, bool dark) {
        at(x, y) = dark ? 1 : 0;
        function_[static_cast<std::size_t>(y * size_ + x)] = 1;
    }
    // A finder centred at (cx, cy) with its light separator, clipped at the edges.
    void finder(int cx, int cy) {
        for (int dy = -4; dy <= 4; ++dy)
            for (int dx = -4; dx <= 4; ++dx) {
                const int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
                const int d = std::max(std::abs(dx), std::abs(dy));
                set_function(x, y, d != 2 && d != 4);
            }
    }
    void alignment(int cx, int cy) {
        for (int dy = -2; dy <= 2; ++dy)
            for (int dx = -2; dx <= 2; ++dx)
                set_function(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
    }
    void version_bits() {
        if (version_ < 7) return;
        int rem = version_;
        for (int i = 0; i < 12; ++i) rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        const long bits = static_cast<long>(version_) << 12 | rem;
        for (int i = 0; i < 18; ++i) {
            const bool bit = ((bits >> i) & 1) != 0;
            const int a = size_ - 11 + i % 3, b = i / 3;
            set_function(a, b, bit);
            set_function(b, a, bit);
        }
    }

    int version_;
    QrEcc ecc_;
    int size_;
    std::vector<std::uint8_t> dark_;
    std::vector<std::uint8_t> function_;
};

// Mode, count, data, terminator and padding, split into blocks with their error correction
// codewords and interleaved (section 7.6).
std::vector<std::uint8_t> codewords(std::string_view bytes, int version, QrEcc ecc) {
    const auto& l = layout(ecc, version);
    const std::size_t capacity_bits = static_cast<std::size_t>(data_codewords(l)) * 8;
    std::vector<bool> bits;
    auto append = [&bits](unsigned value, int count) {
        for (int i = count - 1; i >= 0; --i) bits.push_back(((value >> i) & 1) != 0);
    };
    append(0b0100, 4);
    append(static_cast<unsigned>(bytes.size()), version <= 9 ? 8 : 16);
    for (unsigned char c : bytes) append(c, 8);
    for (int i = 0; i < 4 && bits.size() < capacity_bits; ++i) bits.push_back(false);
    while (bits.size() % 8 != 0) bits.push_back(false);
    std::vector<std::uint8_t> data;
    for (std::size_t i = 0; i < bits.size(); i += 8) {
        unsigned byte = 0;
        for (std::size_t j = 0; j < 8; ++j) byte = byte << 1 | (bits[i + j] ? 1u : 0u);
        data.push_back(static_cast<std::uint8_t>(byte));
    }
    for (std::uint8_t pad = 0xEC; data.size() < capacity_bits / 8; pad ^= 0xEC ^ 0x11)
        data.push_back(pad);

    std::vector<std::vector<std::uint8_t>> blocks, ec_blocks;
    std::size_t offset = 0;
    for (int b = 0; b < l.blocks1 + l.blocks2; ++b) {
        const std::size_t length = static_cast<std::size_t>(b < l.blocks1 ? l.data1 : l.data2);
        blocks.emplace_back(data.begin() + static_cast<long>(offset),
                            data.begin() + static_cast<long>(offset + length));
        ec_blocks.push_back(rs_remainder(blocks.back(), l.ec_per_block));
        offset += length;
    }
    std::vector<std::uint8_t> out;
    const std::size_t longest = static_cast<std::size_t>(std::max(l.data1, l.data2));
    for (std::size_t i = 0; i < longest; ++i)
        for (const auto& block : blocks)
            if (i < block.size()) out.push_back(block[i]);
    for (std::size_t i = 0; i < static_cast<std::size_t>(l.ec_per_block); ++i)
        for (const auto& block : ec_blocks) out.push_back(block[i]);
    return out;
}

}  // namespace

std::optional<QrCode> qr_encode(std::string_view bytes, QrEcc ecc, int mask) {
    if (mask < -1 || mask > 7) return std::nullopt;
    int version = 0;
    for (int v = 1; v <= kQrMaxVersion; ++v) {
        const std::size_t needed_bits = 4 + (v <= 9 ? 8 : 16) + bytes.size() * 8;
        if (needed_bits <= static_cast<std::size_t>(data_codewords(layout(ecc, v))) * 8) {
            version = v;
            break;
        }
    }
    if (version == 0) return std::nullopt;
    Builder builder(version, ecc);
    builder.function_patterns();
    builder.place(codewords(bytes, version, ecc));
    if (mask >= 0) {
        builder.apply_mask(mask);
        builder.format_bits(mask);
        return builder.result(mask);
    }
    std::optional<QrCode> best;
    int best_penalty = std::numeric_limits<int>::max();
    for (int m = 0; m < 8; ++m) {
        Builder trial = builder;
        trial.apply_mask(m);
        trial.format_bits(m);
        auto code = trial.result(m);
        const int penalty = qr_penalty(code);
        if (penalty < best_penalty) {
            best_penalty = penalty;
            best = std::move(code);
        }
    }
    return best;
}

int qr_penalty(const QrCode& code) {
    const int n = code.size;
    int penalty = 0;
    // N1 (runs of five or more of one colour) and N3 (1:1:3:1:1 with four light modules on one
    // side), along rows (horizontal) and columns.
    for (int pass = 0; pass < 2; ++pass) {
        auto get = [&](int line, int i) {
            return pass == 0 ? code.dark(i, line) : code.dark(line, i);
        };
        for (int line = 0; line < n; ++line) {
            int run = 1;
            for (int i = 1; i <= n; ++i) {
                if (i < n && get(line, i) == get(line, i - 1)) {
                    ++run;
                    continue;
                }
                if (run >= 5) penalty += 3 + (run - 5);
                run = 1;
            }
            static constexpr std::array<bool, 11> kA{true, false, true,  true,  true, false,
                                                     true, false, false, false, false};
            static constexpr std::array<bool, 11> kB{false, false, false, false, true, false,
                                                     true,  true,  true,  false, true};
            for (int i = 0; i + 11 <= n; ++i) {
                bool a = true, b = true;
                for (int k = 0; k < 11; ++k) {
                    const bool d = get(line, i + k);
                    a = a && d == kA[static_cast<std::size_t>(k)];
                    b = b && d == kB[static_cast<std::size_t>(k)];
                }
                if (a) penalty += 40;
                if (b) penalty += 40;
            }
        }
    }
    // N2: 2x2 blocks of one colour.
    for (int y = 0; y + 1 < n; ++y)
        for (int x = 0; x + 1 < n; ++x) {
            const bool d = code.dark(x, y);
            if (d == code.dark(x + 1, y) && d == code.dark(x, y + 1) &&
                d == code.dark(x + 1, y + 1))
                penalty += 3;
        }
    // N4: how far the share of dark modules is from half, in steps of 5%.
    int dark = 0;
    for (auto m : code.modules) dark += m;
    const int total = n * n;
    const int deviation = std::abs(dark * 100 - total * 50);  // percent * total
    penalty += 10 * (deviation / (total * 5));
    return penalty;
}

std::string qr_svg(const QrCode& code, int module_px) {
    const int quiet = 4;
    const int side = (code.size + 2 * quiet) * module_px;
    std::string path;
    for (int y = 0; y < code.size; ++y)
        for (int x = 0; x < code.size; ++x)
            if (code.dark(x, y))
                path +=
                    "M" + std::to_string(x + quiet) + "," + std::to_string(y + quiet) + "h1v1h-1z";
    const std::string units = std::to_string(code.size + 2 * quiet);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
           std::to_string(side) + "\" height=\"" + std::to_string(side) + "\" viewBox=\"0 0 " +
           units + " " + units +
           "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" "
           "fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"" +
           path + "\"/>\n</svg>\n";
}

}  // namespace kayou::text
