#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"

namespace vntrace::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A one-shot event between threads.
class Notification {
 public:
  void Notify() {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
    cv_.notify_all();
  }
  bool WaitFor(milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return notified_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;
};

struct RawResponse {
  int status = 0;                    // 0: no (complete) response arrived
  Headers headers;                   // the last value of each field
  std::vector<std::string> cookies;  // every Set-Cookie value, in order
  std::string body;
};

// A deliberately simple HTTP client over a POSIX socket, so that tests control every byte.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    SetReceiveTimeout(milliseconds(5000));
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  // Sends all of `data`; false when the connection failed.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // Reads one response. A response to HEAD (`head`), 1xx, 204 and 304 have no body.
  RawResponse ReadResponse(bool head = false) {
    RawResponse response;
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) {
        return response;
      }
    }
    const std::string header = buffer_.substr(0, header_end + 2);
    buffer_.erase(0, header_end + 4);
    std::size_t line_end = header.find("\r\n");
    const std::string status_line = header.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) {
      return response;
    }
    const int status = std::stoi(status_line.substr(9, 3));
    for (std::size_t start = line_end + 2; start < header.size(); start = line_end + 2) {
      line_end = header.find("\r\n", start);
      const std::string line = header.substr(start, line_end - start);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::size_t value_start = line.find_first_not_of(' ', colon + 1);
        const std::string value = value_start == std::string::npos ? "" : line.substr(value_start);
        response.headers[line.substr(0, colon)] = value;
        if (line.compare(0, colon, "Set-Cookie") == 0) response.cookies.push_back(value);
      }
    }
    std::size_t length = 0;
    if (auto it = response.headers.find("Content-Length"); it != response.headers.end()) {
      length = std::stoul(it->second);
    }
    if (head || status < 200 || status == 204 || status == 304) {
      length = 0;
    }
    while (buffer_.size() < length) {
      if (!Fill()) {
        return response;
      }
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    response.status = status;
    return response;
  }

  // True when the server closes the connection within `timeout`; discards what arrives.
  bool WaitForClose(milliseconds timeout) {
    SetReceiveTimeout(timeout);
    char chunk[4096];
    while (true) {
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        return true;
      }
      if (n < 0) {
        return false;  // timed out
      }
    }
  }

  // Bytes received but not yet consumed by ReadResponse().
  const std::string& pending() const { return buffer_; }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  void SetReceiveTimeout(milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

ServerOptions TestOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 2048;
  options.read_timeout_seconds = 1;
  options.shutdown_grace_seconds = 5;
  options.handle_signals = false;
  return options;
}

std::string Get(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add(Method::kGet, "/hello",
                [](const Request&) { return Response::Text(200, "hello"); });
    router_.Add(Method::kPost, "/echo", [](const Request& request) {
      return Response::Text(200, request.body, "application/octet-stream");
    });
    router_.Add(Method::kGet, "/items/{id}", [](const Request& request) {
      std::string body = "id=" + std::string(request.PathParam("id"));
      for (const auto& [key, value] : request.query) {
        body += " " + key + "=" + value;
      }
      return Response::Text(200, body);
    });
    router_.Add(Method::kGet, "/slow", [this](const Request&) {
      slow_started_.Notify();
      std::this_thread::sleep_for(milliseconds(300));
      return Response::Text(200, "done");
    });
    router_.Add(Method::kGet, "/throws",
                [](const Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Add(Method::kGet, "/cookies", [](const Request&) {
      Response response = Response::Text(200, "ok");
      response.cookies = {"a=1; Path=/", "b=2; HttpOnly", "c=3\r\nX-Evil: 1"};
      return response;
    });
    router_.Add(Method::kGet, "/bad-header", [](const Request&) {
      Response response = Response::Text(200, "ok");
      response.headers.emplace("X-Injected", "a\r\nSet-Cookie: evil=1");
      response.headers.emplace("Content-Length", "999");
      return response;
    });
  }

  ~ServerTest() override { StopServer(); }

  void StartServer(ServerOptions options = TestOptions()) {
    server_ = std::make_unique<Server>(router_, std::move(options));
    core::Status listening = server_->Listen();
    ASSERT_TRUE(listening.ok()) << listening.error().ToString();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    runner_ = std::thread([this] {
      server_->Run();
      run_returned_ = true;
    });
  }

  void StopServer() {
    if (runner_.joinable()) {
      server_->Stop();
      runner_.join();
    }
  }

  // Waits up to `timeout` for Run() to return on its own.
  bool WaitForRunToReturn(milliseconds timeout) {
    const auto deadline = steady_clock::now() + timeout;
    while (!run_returned_ && steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (run_returned_ && runner_.joinable()) {
      runner_.join();
    }
    return run_returned_;
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::thread runner_;
  std::atomic<bool> run_returned_{false};
  Notification slow_started_;
};

TEST_F(ServerTest, SimpleGet) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Get("/hello")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(response.headers["content-length"], "5");
  EXPECT_EQ(response.headers["Content-Type"], "text/plain; charset=utf-8");
  EXPECT_EQ(response.headers["Server"], "vntrace");
  EXPECT_TRUE(std::regex_match(response.headers["Date"],
                               std::regex(R"([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} )"
                                          R"(\d\d:\d\d:\d\d GMT)")))
      << response.headers["Date"];
  EXPECT_EQ(response.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response.headers["X-Frame-Options"], "DENY");
  EXPECT_EQ(response.headers.count("Connection"), 0u);
}

TEST_F(ServerTest, PathParametersAndQueryAreDecoded) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/items/a%20b%2Fc?x=1+2&y=%C4%91")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "id=a b/c x=1 2 y=\xC4\x91");
}

TEST_F(ServerTest, UnknownPathIsProblemJson) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/nowhere")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers["Content-Type"], "application/problem+json");
  EXPECT_NE(response.body.find("NoSuchResourceException"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/hello")));
  RawResponse first = client.ReadResponse();
  EXPECT_EQ(first.status, 200);
  ASSERT_TRUE(client.Send(Post("/echo", "xin chào")));
  RawResponse second = client.ReadResponse();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "xin chào");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(
      client.Send(Get("/items/1") + Post("/echo", "two") + Get("/items/3") + Get("/hello")));
  EXPECT_EQ(client.ReadResponse().body, "id=1");
  EXPECT_EQ(client.ReadResponse().body, "two");
  EXPECT_EQ(client.ReadResponse().body, "id=3");
  EXPECT_EQ(client.ReadResponse().body, "hello");
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n"));
  RawResponse head = client.ReadResponse(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["Content-Length"], "5");
  // Were a body sent, it would precede the next status line.
  ASSERT_TRUE(client.Send(Get("/hello")));
  RawResponse get = client.ReadResponse();
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello");
}

TEST_F(ServerTest, ExpectContinueIsAnswered) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  RawResponse interim = client.ReadResponse();
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(client.Send("abcde"));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "abcde");
}

TEST_F(ServerTest, Http10ClosesAfterResponse) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.0\r\n\r\n"));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, OversizeBodyIs413AndCloses) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Post("/echo", std::string(4096, 'x'))));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.headers["Content-Type"], "application/problem+json");
  EXPECT_EQ(response.headers["Connection"], "close");
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, OversizeChunkedBodyIs413) {
  StartServer();
  RawClient client(port_);
  std::string request = "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) {
    request += "200\r\n" + std::string(512, 'y') + "\r\n";
  }
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.Send(request));
  EXPECT_EQ(client.ReadResponse().status, 413);
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Post("/echo", std::string(1024, 'z'))));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), 1024u);
}

TEST_F(ServerTest, OversizeHeaderIs431) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: test\r\nX-Big: " + std::string(4096, 'h') +
                          "\r\n\r\n"));
  EXPECT_EQ(client.ReadResponse().status, 431);
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, MalformedRequestsAre400AndClose) {
  StartServer();
  for (std::string_view bad :
       {"GET /\r\n\r\n", "BLAH\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"}) {
    SCOPED_TRACE(bad);
    RawClient client(port_);
    ASSERT_TRUE(client.Send(bad));
    RawResponse response = client.ReadResponse();
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.headers["Content-Type"], "application/problem+json");
    EXPECT_EQ(response.headers["Connection"], "close");
    EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  }
}

TEST_F(ServerTest, MissingHostIs400) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(client.ReadResponse().status, 400);
}

TEST_F(ServerTest, MalformedPercentEncodingIs400AndKeepsTheConnection) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/items/%zz")));
  RawResponse bad = client.ReadResponse();
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.headers["Content-Type"], "application/problem+json");
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.ReadResponse().status, 200);
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerLives) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/throws")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("boom"), std::string::npos);
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.ReadResponse().status, 200);
}

TEST_F(ServerTest, InvalidResponseHeadersAreDropped) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/bad-header")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.headers.count("X-Injected"), 0u);
  EXPECT_EQ(response.headers.count("Set-Cookie"), 0u);
  EXPECT_EQ(response.headers["Content-Length"], "2");
}

TEST_F(ServerTest, EachCookieIsItsOwnSetCookieField) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/cookies")));
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.cookies, (std::vector<std::string>{"a=1; Path=/", "b=2; HttpOnly"}));
  EXPECT_EQ(response.headers.count("X-Evil"), 0u);
}

TEST_F(ServerTest, SlowClientHitsReadTimeout) {
  StartServer();  // read timeout: 1 s
  RawClient client(port_);
  const auto start = steady_clock::now();
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: te"));
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
  const auto elapsed = steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(900));
  EXPECT_LT(elapsed, milliseconds(4000));
}

TEST_F(ServerTest, IdleKeepAliveConnectionTimesOut) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.ReadResponse().status, 200);
  EXPECT_TRUE(client.WaitForClose(milliseconds(5000)));
}

TEST_F(ServerTest, GarbageNeverCrashes) {
  StartServer();
  const std::string_view kNasty[] = {
      std::string_view("\0\0\0\0", 4),
      "\r\n\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n folded: value\r\n\r\n",
      "GET /\xFF\xFE HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /items/%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "G\x7F\x01T / HTTP/1.1\r\n\r\n",
      "GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (std::string_view nasty : kNasty) {
    RawClient client(port_);
    client.Send(nasty);
    client.ShutdownWrite();
    EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  }
  std::mt19937 random(20240501);
  for (int i = 0; i < 40; ++i) {
    std::string bytes(random() % 3000, '\0');
    for (char& c : bytes) {
      c = static_cast<char>(random() & 0xFF);
    }
    if (i % 2 == 0) {
      bytes = "GET /" + bytes;  // get past the method more often
    }
    RawClient client(port_);
    client.Send(bytes);
    client.ShutdownWrite();
    EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  }
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.ReadResponse().status, 200);
}

TEST_F(ServerTest, ManyConcurrentClients) {
  ServerOptions options = TestOptions();
  options.threads = 4;
  StartServer(options);
  constexpr int kClients = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([this, c, &ok] {
      RawClient client(port_);
      for (int i = 0; i < kRequests; ++i) {
        const std::string id = std::to_string(c) + "-" + std::to_string(i);
        if (client.Send(Get("/items/" + id)) && client.ReadResponse().body == "id=" + id) {
          ++ok;
        }
      }
    });
  }
  for (std::thread& client : clients) {
    client.join();
  }
  EXPECT_EQ(ok.load(), kClients * kRequests);
}

TEST_F(ServerTest, StopLetsInFlightRequestFinish) {
  StartServer();
  RawClient client(port_);
  ASSERT_TRUE(client.Send(Get("/slow")));
  ASSERT_TRUE(slow_started_.WaitFor(milliseconds(5000)));
  server_->Stop();
  RawResponse response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(response.headers["Connection"], "close");
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  EXPECT_TRUE(WaitForRunToReturn(milliseconds(3000)));
  RawClient late(port_);
  EXPECT_FALSE(late.connected());
}

TEST_F(ServerTest, StopClosesIdleConnectionsAtOnce) {
  ServerOptions options = TestOptions();
  options.read_timeout_seconds = 30;
  StartServer(options);
  RawClient idle(port_);
  ASSERT_TRUE(idle.Send(Get("/hello")));
  EXPECT_EQ(idle.ReadResponse().status, 200);
  RawClient never_spoke(port_);
  ASSERT_TRUE(never_spoke.connected());
  std::this_thread::sleep_for(milliseconds(50));  // let the server accept it
  const auto start = steady_clock::now();
  server_->Stop();
  EXPECT_TRUE(idle.WaitForClose(milliseconds(2000)));
  EXPECT_TRUE(never_spoke.WaitForClose(milliseconds(2000)));
  EXPECT_TRUE(WaitForRunToReturn(milliseconds(2000)));
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));
}

TEST_F(ServerTest, GracePeriodEndsStalledRequests) {
  ServerOptions options = TestOptions();
  options.read_timeout_seconds = 30;
  options.shutdown_grace_seconds = 0;
  StartServer(options);
  RawClient stalled(port_);
  // A request whose body never comes: in flight, so Stop() waits, but only for the grace period.
  ASSERT_TRUE(stalled.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nab"));
  std::this_thread::sleep_for(milliseconds(100));
  const auto start = steady_clock::now();
  server_->Stop();
  EXPECT_TRUE(WaitForRunToReturn(milliseconds(3000)));
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));
  EXPECT_TRUE(stalled.WaitForClose(milliseconds(1000)));
}

TEST_F(ServerTest, StopBeforeRunReturnsPromptly) {
  server_ = std::make_unique<Server>(router_, TestOptions());
  ASSERT_TRUE(server_->Listen().ok());
  server_->Stop();
  server_->Run();  // returns at once
  SUCCEED();
}

TEST_F(ServerTest, ListenOnABusyPortIsUnavailable) {
  StartServer();
  ServerOptions options = TestOptions();
  options.port = port_;
  Server second(router_, options);
  core::Status status = second.Listen();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kUnavailable);
}

TEST_F(ServerTest, LogsOneLinePerRequest) {
  core::ScopedLogCapture capture(core::LogLevel::kDebug);
  StartServer();
  {
    RawClient client(port_);
    ASSERT_TRUE(client.Send(Get("/items/7?x=1")));
    EXPECT_EQ(client.ReadResponse().status, 200);
  }
  StopServer();
  int request_lines = 0;
  bool started = false;
  bool stopped = false;
  for (const core::LogRecord& record : capture.records()) {
    if (record.message == "http request") {
      ++request_lines;
      EXPECT_EQ(record.level, core::LogLevel::kDebug);
      EXPECT_EQ(record.FieldValue("method"), "GET");
      EXPECT_EQ(record.FieldValue("path"), "/items/7");
      EXPECT_EQ(record.FieldValue("status"), "200");
      EXPECT_TRUE(record.FieldValue("duration_ms").has_value());
    } else if (record.message == "http server started") {
      started = record.level == core::LogLevel::kInfo;
      EXPECT_EQ(record.FieldValue("port"), std::to_string(port_));
    } else if (record.message == "http server stopped") {
      stopped = record.level == core::LogLevel::kInfo;
    }
  }
  EXPECT_EQ(request_lines, 1);
  EXPECT_TRUE(started);
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace vntrace::http
