#pragma once
// A small QR Code encoder (ISO/IEC 18004): byte mode, error correction L or M, versions 1-10
// (up to 213 bytes at M, enough for a join URL of ~100 characters), mask chosen by the standard's
// penalty rules; and an SVG rendering of the symbol. Pure: no I/O. Used for the printable QR of a
// promoter's or an event's join link (members/promoters.hpp, docs/admin-api.md "Promoters").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::text {

enum class QrEcc { low, medium };

struct QrCode {
    int version = 0;
    int size = 0;  // modules per side: 17 + 4 * version
    int mask = 0;
    QrEcc ecc = QrEcc::medium;
    std::vector<std::uint8_t> modules;  // row-major, 1 = dark
    bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

inline constexpr int kQrMaxVersion = 10;

// The smallest symbol holding `bytes`; nullopt when they do not fit version 10. `mask` 0-7 forces
// a mask (tests); -1 picks the one with the lowest penalty.
std::optional<QrCode> qr_encode(std::string_view bytes, QrEcc ecc = QrEcc::medium, int mask = -1);

// The penalty score of the symbol as it stands (rules N1-N4).
int qr_penalty(const QrCode& code);

// A standalone SVG document: one path of dark squares on a white background with a 4-module
// quiet zone, `module_px` pixels per module. No script, no external references.
std::string qr_svg(const QrCode& code, int module_px = 8);

}  // namespace kayou::text
