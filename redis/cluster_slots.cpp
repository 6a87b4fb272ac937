#include "redis/cluster_slots.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kayou::redis {

namespace {

constexpr std::array<std::uint16_t, 256> make_crc16_table() {
    std::array<std::uint16_t, 256> table{};
    for (std::uint16_t byte = 0; byte < 256; ++byte) {
        std::uint16_t crc = static_cast<std::uint16_t>(byte << 8);
        for (int bit = 0; bit < 8; ++bit) {
            crc = static_cast<std::uint16_t>((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
        }
        table[byte] = crc;
    }
    return table;
}

constexpr std::array<std::uint16_t, 256> kCrc16Table = make_crc16_table();

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

template <class Integer>
std::optional<Integer> parse_integer(std::string_view text) {
    Integer value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Commands that name no key: they may go to any node.
bool keyless(const std::string& name) {
    static const char* const kKeyless[] = {
        "PING",    "ECHO",     "WAIT",      "SCRIPT", "INFO",    "TIME",         "MULTI",
        "EXEC",    "DISCARD",  "UNWATCH",   "DBSIZE", "FLUSHDB", "FLUSHALL",     "CLUSTER",
        "CONFIG",  "CLIENT",   "COMMAND",   "ROLE",   "SELECT",  "AUTH",         "HELLO",
        "ASKING",  "READONLY", "READWRITE", "SCAN",   "KEYS",    "RANDOMKEY",    "DEBUG",
        "SLOWLOG", "LATENCY",  "LASTSAVE",  "SAVE",   "BGSAVE",  "BGREWRITEAOF", "FUNCTION",
        "PUBLISH", "QUIT",     "SHUTDOWN",  "SWAPDB", "MONITOR", "SUBSCRIBE",    "PSUBSCRIBE",
    };
    return std::any_of(std::begin(kKeyless), std::end(kKeyless),
                       [&](const char* keyless_name) { return name == keyless_name; });
}

std::optional<Endpoint> node_endpoint(const Reply& node) {
    if (!node.is_array() || node.elements.size() < 2) return std::nullopt;
    const Reply& host = node.elements[0];
    const Reply& port = node.elements[1];
    if (!host.is_string() || !port.is_integer() || port.integer <= 0 || port.integer > 65535)
        return std::nullopt;
    return Endpoint{host.str, static_cast<std::uint16_t>(port.integer)};
}

}  // namespace

std::uint16_t crc16_xmodem(std::string_view bytes) {
    std::uint16_t crc = 0;
    for (const char ch : bytes) {
        const auto index = static_cast<std::uint8_t>((crc >> 8) ^ static_cast<std::uint8_t>(ch));
        crc = static_cast<std::uint16_t>((crc << 8) ^ kCrc16Table[index]);
    }
    return crc;
}

std::uint16_t key_hash_slot(std::string_view key) {
    const auto open = key.find('{');
    if (open != std::string_view::npos) {
        const auto close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1) {
            key = key.substr(open + 1, close - open - 1);
        }
    }
    return static_cast<std::uint16_t>(crc16_xmodem(key) % kClusterSlots);
}

// Each element: [first slot, last slot, [primary host, port, id?, ...], replicas...].
std::optional<SlotTable> SlotTable::parse(const Reply& cluster_slots_reply) {
    if (!cluster_slots_reply.is_array()) return std::nullopt;
    SlotTable table;
    for (const Reply& range : cluster_slots_reply.elements) {
        if (!range.is_array() || range.elements.size() < 3) return std::nullopt;
        const Reply& first = range.elements[0];
        const Reply& last = range.elements[1];
        if (!first.is_integer() || !last.is_integer() || first.integer < 0 ||
            last.integer < first.integer || last.integer >= static_cast<long long>(kClusterSlots))
            return std::nullopt;
        const auto primary = node_endpoint(range.elements[2]);
        if (!primary) return std::nullopt;
        auto known = std::find(table.nodes_.begin(), table.nodes_.end(), *primary);
        if (known == table.nodes_.end()) {
            table.nodes_.push_back(*primary);
            known = table.nodes_.end() - 1;
        }
        const auto index = static_cast<std::uint16_t>(known - table.nodes_.begin());
        std::fill(table.owner_.begin() + first.integer, table.owner_.begin() + last.integer + 1,
                  index);
    }
    return table;
}

std::optional<std::size_t> SlotTable::node_for(std::uint16_t slot) const {
    if (slot >= kClusterSlots || owner_[slot] == kNoNode) return std::nullopt;
    return owner_[slot];
}

bool SlotTable::complete() const {
    return std::none_of(owner_.begin(), owner_.end(),
                        [](std::uint16_t owner) { return owner == kNoNode; });
}

std::size_t SlotTable::assign(std::uint16_t slot, const Endpoint& node) {
    auto known = std::find(nodes_.begin(), nodes_.end(), node);
    if (known == nodes_.end()) {
        nodes_.push_back(node);
        known = nodes_.end() - 1;
    }
    const auto index = static_cast<std::size_t>(known - nodes_.begin());
    if (slot < kClusterSlots) owner_[slot] = static_cast<std::uint16_t>(index);
    return index;
}

std::optional<Redirect> parse_redirect(std::string_view error_text) {
    Redirect redirect;
    if (error_text.starts_with("MOVED ")) {
        redirect.kind = Redirect::Kind::moved;
    } else if (error_text.starts_with("ASK ")) {
        redirect.kind = Redirect::Kind::ask;
    } else {
        return std::nullopt;
    }
    error_text.remove_prefix(error_text.find(' ') + 1);
    const auto space = error_text.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const auto slot = parse_integer<std::uint16_t>(error_text.substr(0, space));
    if (!slot || *slot >= kClusterSlots) return std::nullopt;
    redirect.slot = *slot;
    const std::string_view address = error_text.substr(space + 1);
    // ":6381": a node that does not know its own address; the client connects to the host it
    // already used for that node.
    const auto colon = address.rfind(':');
    if (colon == 0) {
        const auto port = parse_integer<std::uint16_t>(address.substr(1));
        if (!port || *port == 0) return std::nullopt;
        redirect.to.port = *port;
        return redirect;
    }
    auto endpoint = parse_endpoint(address);
    if (!endpoint) return std::nullopt;
    redirect.to = std::move(*endpoint);
    return redirect;
}

std::optional<Redirect> parse_redirect(const Reply& reply) {
    if (!reply.is_error()) return std::nullopt;
    return parse_redirect(std::string_view(reply.str));
}

std::optional<std::string_view> routing_key(const std::vector<std::string>& args) {
    if (args.empty()) return std::nullopt;
    const std::string name = upper(args[0]);
    if (keyless(name)) return std::nullopt;
    if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" ||
        name == "FCALL" || name == "FCALL_RO") {
        if (args.size() < 4) return std::nullopt;
        const auto numkeys = parse_integer<long long>(args[2]);
        if (!numkeys || *numkeys <= 0) return std::nullopt;
        return std::string_view(args[3]);
    }
    if (name == "XREAD" || name == "XREADGROUP") {
        for (std::size_t i = 1; i + 1 < args.size(); ++i) {
            if (upper(args[i]) == "STREAMS") return std::string_view(args[i + 1]);
        }
        return std::nullopt;
    }
    // A subcommand first, then the key: XGROUP CREATE <key> ..., OBJECT ENCODING <key>.
    if (name == "XGROUP" || name == "XINFO" || name == "OBJECT" || name == "MEMORY") {
        if (args.size() < 3) return std::nullopt;
        return std::string_view(args[2]);
    }
    if (args.size() < 2) return std::nullopt;
    return std::string_view(args[1]);
}

std::optional<std::string_view> routing_key(const std::vector<std::vector<std::string>>& commands) {
    for (const auto& command : commands) {
        if (auto key = routing_key(command)) return key;
    }
    return std::nullopt;
}

}  // namespace kayou::redis
