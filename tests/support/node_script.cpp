#include "tests/support/node_script.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/reference.hpp"

namespace kayou::test {

NodeScript::NodeScript(const std::string& script, const std::vector<std::string>& args) {
    const std::string dir = reference_dir();
    if (dir.empty())
        throw std::runtime_error(
            "reference tools missing: run scripts/test.sh (npm ci in tests/reference)");
    char path[] = "/tmp/kayou-node-stderr-XXXXXX";
    const int err = ::mkstemp(path);
    if (err < 0) throw std::runtime_error("mkstemp failed");
    stderr_path_ = path;
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<std::string> argv_text{"node", dir + "/" + script};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::setpgid(0, 0);  // the browser it starts goes with it
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::dup2(to_child[0], 0);
        ::dup2(from_child[1], 1);
        ::dup2(err, 2);
        if (::chdir(dir.c_str()) != 0) ::_exit(127);
        ::execvp("node", argv.data());
        ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    ::close(err);
    ::close(to_child[0]);
    ::close(from_child[1]);
    in_ = to_child[1];
    out_ = from_child[0];
}

NodeScript::~NodeScript() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (in_ >= 0) ::close(in_);
    if (out_ >= 0) ::close(out_);
    if (!stderr_path_.empty()) std::filesystem::remove(stderr_path_);
}

std::optional<nlohmann::json> NodeScript::read(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (true) {
        for (auto newline = buffer_.find('\n'); newline != std::string::npos;
             newline = buffer_.find('\n')) {
            const std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            output_ += line + "\n";
            auto parsed = nlohmann::json::parse(line, nullptr, false);
            if (!parsed.is_discarded() && parsed.is_object()) return parsed;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0 || out_ < 0) return std::nullopt;
        pollfd fd{out_, POLLIN, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        char chunk[4096];
        const ssize_t n = ::read(out_, chunk, sizeof chunk);
        if (n <= 0) {
            ::close(out_);
            out_ = -1;
            continue;  // what is left in the buffer, then nullopt
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

void NodeScript::write(const nlohmann::json& line) {
    const std::string text = line.dump() + "\n";
    std::size_t sent = 0;
    while (in_ >= 0 && sent < text.size()) {
        const ssize_t n = ::write(in_, text.data() + sent, text.size() - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
}

int NodeScript::wait(std::chrono::milliseconds deadline) {
    if (pid_ <= 0) return status_;
    if (in_ >= 0) {
        ::close(in_);
        in_ = -1;
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            pid_ = -1;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
}

std::string NodeScript::errors() const {
    std::ifstream in(stderr_path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace kayou::test
