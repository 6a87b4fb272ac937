// The hiredis <-> Asio adapter driven directly through its hooks on a pipe, without Redis: a
// zeroed redisAsyncContext whose fd is a pipe end, and recorders in place of
// redisAsyncHandleRead/Write (practice from JerichoSystems/redis-asio's adapter tests).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <hiredis/async.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "redis/asio_adapter.hpp"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using kayou::redis::detail::AdapterHandlers;
using kayou::redis::detail::AsioAdapter;

// What the recorders do; one test at a time, so a global is enough.
struct Probe {
    int reads = 0;
    int writes = 0;
    std::function<void(redisAsyncContext*)> on_read;
    std::function<void(redisAsyncContext*)> on_write;
};
Probe* probe = nullptr;

void record_read(redisAsyncContext* ac) {
    ++probe->reads;
    if (probe->on_read) {
        probe->on_read(ac);
    }
}

void record_write(redisAsyncContext* ac) {
    ++probe->writes;
    if (probe->on_write) {
        probe->on_write(ac);
    }
}

bool fd_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

class RedisAdapterTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::pipe2(fds_, O_NONBLOCK | O_CLOEXEC), 0);
        ac_ = static_cast<redisAsyncContext*>(std::calloc(1, sizeof(redisAsyncContext)));
        probe = &probe_;
    }

    void TearDown() override {
        if (adapter_) {
            adapter_->detach();  // as hiredis' cleanup does before it frees the context
        }
        adapter_.reset();
        ioc_.restart();
        ioc_.poll();  // let aborted waits release their references
        std::free(ac_);
        ::close(fds_[0]);
        ::close(fds_[1]);
        probe = nullptr;
    }

    // Attaches to the read end (or the write end) of the pipe.
    void attach(bool write_end = false) {
        ac_->c.fd = write_end ? fds_[1] : fds_[0];
        adapter_ = AsioAdapter::attach(ioc_.get_executor(), ac_,
                                       AdapterHandlers{&record_read, &record_write});
        ASSERT_TRUE(adapter_);
    }

    void add_read() { ac_->ev.addRead(ac_->ev.data); }
    void del_read() { ac_->ev.delRead(ac_->ev.data); }
    void add_write() { ac_->ev.addWrite(ac_->ev.data); }
    void del_write() { ac_->ev.delWrite(ac_->ev.data); }

    void write_bytes(std::size_t n) {
        const std::string data(n, 'x');
        ASSERT_EQ(::write(fds_[1], data.data(), n), static_cast<ssize_t>(n));
    }

    // Runs the loop until `done` holds, at most 2 s.
    bool run_until(const std::function<bool()>& done) {
        const auto end = std::chrono::steady_clock::now() + 2s;
        while (!done() && std::chrono::steady_clock::now() < end) {
            ioc_.restart();
            ioc_.run_one_for(10ms);
        }
        return done();
    }

    // Runs whatever is ready now, and what becomes ready within `d`.
    void run_for(std::chrono::milliseconds d) {
        ioc_.restart();
        ioc_.run_for(d);
    }

    asio::io_context ioc_;
    int fds_[2] = {-1, -1};
    redisAsyncContext* ac_ = nullptr;
    std::shared_ptr<AsioAdapter> adapter_;
    Probe probe_;
};

TEST_F(RedisAdapterTest, AttachInstallsHooksAndCleanupDetachesIdempotently) {
    attach();
    EXPECT_EQ(ac_->ev.data, adapter_.get());
    EXPECT_NE(ac_->ev.addRead, nullptr);
    EXPECT_NE(ac_->ev.cleanup, nullptr);
    EXPECT_TRUE(adapter_->attached());

    auto cleanup = ac_->ev.cleanup;
    cleanup(ac_->ev.data);
    EXPECT_FALSE(adapter_->attached());
    EXPECT_EQ(ac_->ev.data, nullptr);
    EXPECT_EQ(ac_->ev.addRead, nullptr);
    EXPECT_EQ(ac_->ev.delRead, nullptr);
    EXPECT_EQ(ac_->ev.addWrite, nullptr);
    EXPECT_EQ(ac_->ev.delWrite, nullptr);
    EXPECT_EQ(ac_->ev.cleanup, nullptr);  // hiredis 0.14.1's second _EL_CLEANUP is a no-op
    cleanup(adapter_.get());              // even when called through a saved pointer
    adapter_->detach();
    EXPECT_TRUE(fd_open(fds_[0])) << "the adapter must never close hiredis' fd";
}

TEST_F(RedisAdapterTest, AddReadWaitsForDataAndReArms) {
    attach();
    probe_.on_read = [this](redisAsyncContext*) {
        char buf[64];
        (void)::read(fds_[0], buf, sizeof buf);
        add_read();  // hiredis re-arms after every read
    };
    add_read();
    add_read();  // idempotent: still one wait
    EXPECT_TRUE(adapter_->read_wait_pending());
    run_for(20ms);
    EXPECT_EQ(probe_.reads, 0);

    write_bytes(1);
    ASSERT_TRUE(run_until([&] { return probe_.reads == 1; }));
    EXPECT_TRUE(adapter_->read_wait_pending());
    write_bytes(1);
    ASSERT_TRUE(run_until([&] { return probe_.reads == 2; }));
    run_for(20ms);
    EXPECT_EQ(probe_.reads, 2);
}

TEST_F(RedisAdapterTest, ReadWaitReArmsEvenIfTheHandlerDoesNot) {
    attach();
    probe_.on_read = [this](redisAsyncContext*) {
        char buf[1];
        (void)::read(fds_[0], buf, sizeof buf);  // one byte per event, no addRead
    };
    add_read();
    write_bytes(3);
    ASSERT_TRUE(run_until([&] { return probe_.reads == 3; }));
}

TEST_F(RedisAdapterTest, StaleWakeupAfterDelReadIsIgnored) {
    attach();
    add_read();
    del_read();
    write_bytes(1);
    run_for(30ms);
    EXPECT_EQ(probe_.reads, 0);
    EXPECT_FALSE(adapter_->read_wait_pending());
    add_read();  // the data is still there
    ASSERT_TRUE(run_until([&] { return probe_.reads == 1; }));
}

// Regression for the edge-triggered hang: more data than one 16 KiB read must be reported again
// until drained, one handle_read per readiness event.
TEST_F(RedisAdapterTest, InputLargerThanOneReadIsDrained) {
    ::fcntl(fds_[1], F_SETPIPE_SZ, 1 << 20);
    const int capacity = ::fcntl(fds_[1], F_GETPIPE_SZ);
    const std::size_t total = std::min<std::size_t>(256 * 1024, static_cast<std::size_t>(capacity));
    attach();
    std::size_t drained = 0;
    probe_.on_read = [&](redisAsyncContext*) {
        char buf[16 * 1024];  // what redisBufferRead reads per call
        const ssize_t n = ::read(fds_[0], buf, sizeof buf);
        if (n > 0) {
            drained += static_cast<std::size_t>(n);
        }
        add_read();
    };
    add_read();
    write_bytes(total);
    ASSERT_TRUE(run_until([&] { return drained == total; })) << drained << " of " << total;
    EXPECT_EQ(probe_.reads, static_cast<int>((total + 16 * 1024 - 1) / (16 * 1024)));
}

TEST_F(RedisAdapterTest, WriteBeforeConnectWaitsForWritability) {
    attach(/*write_end=*/true);
    probe_.on_write = [this](redisAsyncContext*) { del_write(); };
    add_write();
    EXPECT_TRUE(adapter_->write_wait_pending());
    ASSERT_TRUE(run_until([&] { return probe_.writes == 1; }));
    run_for(20ms);
    EXPECT_EQ(probe_.writes, 1);
    EXPECT_FALSE(adapter_->writing());
}

TEST_F(RedisAdapterTest, ConnectedWritesAreCoalescedIntoOneFlush) {
    attach(/*write_end=*/true);
    ac_->c.flags |= REDIS_CONNECTED;
    probe_.on_write = [this](redisAsyncContext*) { del_write(); };
    for (int i = 0; i < 1000; ++i) {
        add_write();  // hiredis calls addWrite for every command appended
    }
    ASSERT_TRUE(run_until([&] { return probe_.writes == 1; }));
    run_for(20ms);
    EXPECT_EQ(probe_.writes, 1);
}

TEST_F(RedisAdapterTest, PartialWriteWaitsForWritability) {
    attach(/*write_end=*/true);
    ac_->c.flags |= REDIS_CONNECTED;
    probe_.on_write = [this](redisAsyncContext*) {
        if (probe_.writes == 1) {
            add_write();  // "could not write everything": must wait for the reactor now
            EXPECT_TRUE(adapter_->write_wait_pending());
        } else {
            del_write();
        }
    };
    add_write();
    ASSERT_TRUE(run_until([&] { return probe_.writes == 2; }));
}

TEST_F(RedisAdapterTest, CleanupInsideReadHandlerStopsEverything) {
    attach();
    probe_.on_read = [](redisAsyncContext* ac) {
        ac->ev.cleanup(ac->ev.data);  // hiredis freeing the context on EOF, mid-handler
    };
    add_read();
    std::weak_ptr<AsioAdapter> weak = adapter_;
    adapter_.reset();  // the pending wait is now the only owner
    EXPECT_FALSE(weak.expired());
    write_bytes(1);
    ASSERT_TRUE(run_until([&] { return probe_.reads == 1; }));
    run_for(20ms);
    EXPECT_TRUE(weak.expired());  // released once the handler returned
    EXPECT_EQ(ac_->ev.addRead, nullptr);
    EXPECT_TRUE(fd_open(fds_[0]));
}

TEST_F(RedisAdapterTest, PendingWaitsEndQuietlyOnCleanup) {
    attach();
    add_read();
    ac_->ev.cleanup(ac_->ev.data);
    write_bytes(1);
    run_for(30ms);
    EXPECT_EQ(probe_.reads, 0);
    EXPECT_FALSE(adapter_->read_wait_pending());
    EXPECT_TRUE(fd_open(fds_[0]));
}

TEST_F(RedisAdapterTest, DestroyedWhileAttachedUnhooksTheContext) {
    attach();
    adapter_.reset();
    EXPECT_EQ(ac_->ev.data, nullptr);
    EXPECT_EQ(ac_->ev.cleanup, nullptr);
    EXPECT_TRUE(fd_open(fds_[0]));
}

}  // namespace
