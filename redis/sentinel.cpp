#include "redis/sentinel.hpp"

#include <charconv>
#include <stdexcept>

namespace kayou::redis {

namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto start = text.find_first_not_of(' ', at);
        if (start == std::string_view::npos) break;
        auto end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        words.push_back(text.substr(start, end - start));
        at = end;
    }
    return words;
}

// A RESP line ending at the first "\r\n" from `from`; npos when it has not arrived yet.
std::size_t line_end(std::string_view buffer, std::size_t from) {
    return buffer.find("\r\n", from);
}

long long parse_length(std::string_view text) {
    long long value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        throw std::runtime_error("RESP: bad number");
    return value;
}

// Parses the value starting at `at`; returns the position after it, or npos if incomplete.
std::size_t parse_value(std::string_view buffer, std::size_t at, Reply& out, int depth) {
    if (depth > 8) throw std::runtime_error("RESP: nested too deep");
    if (at >= buffer.size()) return std::string_view::npos;
    const auto end = line_end(buffer, at + 1);
    if (end == std::string_view::npos) return std::string_view::npos;
    const std::string_view line = buffer.substr(at + 1, end - at - 1);
    const std::size_t next = end + 2;
    switch (buffer[at]) {
        case '+':
            out.type = Reply::Type::status;
            out.str = line;
            return next;
        case '-':
            out.type = Reply::Type::error;
            out.str = line;
            return next;
        case ':':
            out.type = Reply::Type::integer;
            out.integer = parse_length(line);
            return next;
        case '$': {
            const long long length = parse_length(line);
            if (length < 0) {
                out.type = Reply::Type::nil;
                return next;
            }
            if (length > (64 << 20)) throw std::runtime_error("RESP: string too long");
            const auto size = static_cast<std::size_t>(length);
            if (buffer.size() < next + size + 2) return std::string_view::npos;
            if (buffer.substr(next + size, 2) != "\r\n")
                throw std::runtime_error("RESP: string not terminated");
            out.type = Reply::Type::string;
            out.str = buffer.substr(next, size);
            return next + size + 2;
        }
        case '*': {
            const long long count = parse_length(line);
            if (count < 0) {
                out.type = Reply::Type::nil;
                return next;
            }
            if (count > 1024) throw std::runtime_error("RESP: array too long");
            out.type = Reply::Type::array;
            out.elements.assign(static_cast<std::size_t>(count), Reply{});
            std::size_t position = next;
            for (auto& element : out.elements) {
                position = parse_value(buffer, position, element, depth + 1);
                if (position == std::string_view::npos) return position;
            }
            return position;
        }
        default:
            throw std::runtime_error("RESP: unknown type byte");
    }
}

}  // namespace

std::string Endpoint::to_string() const {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
    Endpoint endpoint;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::nullopt;
        endpoint.host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        endpoint.host = text.substr(0, colon);
        if (endpoint.host.find(':') != std::string::npos) return std::nullopt;  // bare IPv6
        port_text = text.substr(colon + 1);
    }
    if (endpoint.host.empty() || endpoint.host.find(' ') != std::string::npos) return std::nullopt;
    const auto port = parse_port(port_text);
    if (!port) return std::nullopt;
    endpoint.port = *port;
    return endpoint;
}

std::optional<Endpoint> parse_master_addr(const Reply& reply) {
    if (!reply.is_array() || reply.elements.size() != 2) return std::nullopt;
    const Reply& host = reply.elements[0];
    const Reply& port = reply.elements[1];
    if (!host.is_string() || host.str.empty() || !port.is_string()) return std::nullopt;
    const auto parsed = parse_port(port.str);
    if (!parsed) return std::nullopt;
    return Endpoint{host.str, *parsed};
}

Role parse_role(const Reply& reply) {
    if (!reply.is_array() || reply.elements.empty()) return Role::unknown;
    const Reply& first = reply.elements[0];
    if (!first.is_string() && first.type != Reply::Type::status) return Role::unknown;
    if (first.str == "master") return Role::master;
    if (first.str == "slave" || first.str == "replica") return Role::replica;
    if (first.str == "sentinel") return Role::sentinel;
    return Role::unknown;
}

const char* to_string(Role role) {
    switch (role) {
        case Role::master:
            return "master";
        case Role::replica:
            return "replica";
        case Role::sentinel:
            return "sentinel";
        case Role::unknown:
            break;
    }
    return "unknown";
}

std::optional<SwitchMaster> parse_switch_master(std::string_view payload) {
    const auto words = split_spaces(payload);
    if (words.size() != 5) return std::nullopt;
    const auto from_port = parse_port(words[2]);
    const auto to_port = parse_port(words[4]);
    if (!from_port || !to_port) return std::nullopt;
    return SwitchMaster{std::string(words[0]), Endpoint{std::string(words[1]), *from_port},
                        Endpoint{std::string(words[3]), *to_port}};
}

bool is_not_primary_error(std::string_view error_text) {
    return error_text.starts_with("READONLY") || error_text.starts_with("MASTERDOWN");
}

bool is_not_primary_error(const Reply& reply) {
    return reply.is_error() && is_not_primary_error(std::string_view(reply.str));
}

std::optional<Reply> parse_resp(std::string_view buffer, std::size_t& consumed) {
    consumed = 0;
    Reply reply;
    const std::size_t end = parse_value(buffer, 0, reply, 0);
    if (end == std::string_view::npos) return std::nullopt;
    consumed = end;
    return reply;
}

std::optional<PushMessage> as_push_message(const Reply& reply) {
    if (!reply.is_array() || reply.elements.empty() || !reply.elements[0].is_string())
        return std::nullopt;
    PushMessage message;
    message.kind = reply.elements[0].str;
    if (reply.elements.size() > 1 && reply.elements[1].is_string())
        message.channel = reply.elements[1].str;
    if (reply.elements.size() > 2 && reply.elements[2].is_string())
        message.payload = reply.elements[2].str;
    return message;
}

PrimaryHistory::Change PrimaryHistory::note(const Endpoint& primary) {
    if (current_ && *current_ == primary) return Change::same;
    const bool first = !current_.has_value();
    current_ = primary;
    if (first) return Change::first;
    ++failovers_;
    return Change::switched;
}

std::vector<std::size_t> sentinel_order(std::size_t count, std::size_t preferred) {
    std::vector<std::size_t> order;
    order.reserve(count);
    if (preferred < count) order.push_back(preferred);
    for (std::size_t i = 0; i < count; ++i)
        if (i != preferred) order.push_back(i);
    return order;
}

std::string format_command(const std::vector<std::string>& arguments) {
    std::string out = "*" + std::to_string(arguments.size()) + "\r\n";
    for (const auto& argument : arguments) {
        out += "$" + std::to_string(argument.size()) + "\r\n";
        out += argument;
        out += "\r\n";
    }
    return out;
}

}  // namespace kayou::redis
