#include "http/server.hpp"

#include <fmt/format.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <exception>
#include <initializer_list>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "http/internal/target.hpp"

namespace vntrace::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// How long a closing connection keeps reading (and discarding) what the client still sends,
// so that the kernel does not answer it with a reset that destroys our last response.
constexpr std::chrono::seconds kLingerTimeout(2);
constexpr std::size_t kMaxLingerBytes = 1u << 20;
// Pause before accepting again after accept() failed (e.g. out of file descriptors).
constexpr std::chrono::milliseconds kAcceptRetryDelay(100);
// Beast stores a field value's length in 16 bits.
constexpr std::size_t kMaxResponseFieldBytes = 16u << 10;

constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// RFC 9110 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; independent of the locale.
std::string HttpDate(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDayNames[tm.tm_wday % 7],
                     tm.tm_mday, kMonthNames[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

Method MethodFromVerb(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kHead;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::put:
      return Method::kPut;
    case bhttp::verb::patch:
      return Method::kPatch;
    case bhttp::verb::delete_:
      return Method::kDelete;
    case bhttp::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

// RFC 9110 token characters.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidFieldName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxResponseFieldBytes &&
         std::all_of(name.begin(), name.end(), IsTokenChar);
}

bool IsValidFieldValue(std::string_view value) {
  return value.size() <= kMaxResponseFieldBytes &&
         value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  HeaderLess less;
  return std::any_of(names.begin(), names.end(), [&](std::string_view candidate) {
    return !less(name, candidate) && !less(candidate, name);
  });
}

// A problem the transport answers itself (no EPCIS type: it is about HTTP, not the API).
Response TransportProblem(int status, std::string title, std::string detail) {
  Response response = ProblemResponse({.type = "",
                                       .title = std::move(title),
                                       .status = status,
                                       .detail = std::move(detail),
                                       .instance = ""});
  AddSecurityHeaders(response.headers);
  return response;
}

// Runs `ioc` until it stops, logging (never propagating) exceptions that escape a handler.
void RunIoContext(asio::io_context& ioc) {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      core::LogError("http server: exception escaped a handler", {{"error", e.what()}});
    } catch (...) {
      core::LogError("http server: exception escaped a handler", {{"error", "non-standard"}});
    }
  }
}

}  // namespace

// Owns the io_context, the acceptor and the table of live sessions.
// Thread-safety: the acceptor, signal set and timers are used only on `strand_`; the session
// table is guarded by `mu_`; port_ and stop_requested_ are atomics.
class Server::Impl {
 public:
  Impl(const Router& router, ServerOptions options);
  ~Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  core::Status Listen();
  std::uint16_t port() const { return port_.load(); }
  void Run();
  void Stop();

 private:
  class Session;

  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  // On strand_: stop accepting, tell every session, start the grace period.
  void BeginShutdown();
  void OnGraceExpired();
  // False when the server is stopping (the session must then close at once).
  bool AddSession(Session* key, std::weak_ptr<Session> session);
  // Stops the io_context when the last session of a stopping server goes away.
  void RemoveSession(Session* key);
  std::vector<std::shared_ptr<Session>> LiveSessions();

  std::chrono::seconds read_timeout() const {
    return std::chrono::seconds(options_.read_timeout_seconds);
  }

  const Router& router_;
  const ServerOptions options_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> stop_requested_{false};

  // Declared before the io_context, so that they outlive the handlers it destroys.
  std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                                          // GUARDED_BY(mu_)
  bool io_stopped_ = false;                                        // GUARDED_BY(mu_)

  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer accept_timer_;
  asio::steady_timer grace_timer_;
};

// One connection: reads a request, answers it, and repeats while keep-alive holds.
// Shared ownership (a stated exception to unique_ptr): the pending asynchronous operation owns
// the session, and the server's table only observes it. Thread-safety: everything runs on the
// stream's strand; OnServerStop() and ForceClose() post onto it and may be called from anywhere.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket&& socket);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  void OnServerStop();
  void ForceClose();

 private:
  enum class Phase { kReadingHeader, kReadingBody, kWriting, kLingering, kClosed };

  void ReadHeader();
  void OnReadHeader(beast::error_code ec, std::size_t bytes);
  void OnWriteContinue(beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnReadBody(beast::error_code ec, std::size_t bytes);
  void OnReadError(beast::error_code ec);
  void HandleRequest();
  void Send(Response&& response, unsigned version, bool keep_alive, bool head);
  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void HandleServerStop();
  void LingeringClose();
  void Linger();
  void OnLinger(beast::error_code ec, std::size_t bytes);
  void Close();

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::empty_body> continue_response_;
  bhttp::response<bhttp::string_body> response_;
  std::string remote_address_;
  Phase phase_ = Phase::kReadingHeader;
  bool server_stopping_ = false;
  // For the request log line.
  std::string log_method_;
  std::string log_path_;
  std::chrono::steady_clock::time_point request_start_;
  std::array<char, 4096> linger_buffer_{};
  std::size_t lingered_bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Session

Server::Impl::Session::Session(Impl& server, tcp::socket&& socket)
    : server_(server), stream_(std::move(socket)) {
  beast::error_code ec;
  tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    remote_address_ = remote.address().to_string();
  }
}

Server::Impl::Session::~Session() { server_.RemoveSession(this); }

void Server::Impl::Session::Start() {
  if (!server_.AddSession(this, weak_from_this())) {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
    return;
  }
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
}

void Server::Impl::Session::OnServerStop() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->HandleServerStop(); });
}

void Server::Impl::Session::ForceClose() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

void Server::Impl::Session::HandleServerStop() {
  server_stopping_ = true;
  // A connection waiting for a request that has not begun is idle: close it now. One that is
  // receiving, handling or answering a request finishes it and then closes.
  const bool idle =
      phase_ == Phase::kReadingHeader && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
  if (idle) {
    Close();
  }
}

void Server::Impl::Session::ReadHeader() {
  if (phase_ == Phase::kClosed) {
    return;
  }
  phase_ = Phase::kReadingHeader;
  log_method_ = "-";
  log_path_ = "-";
  // Limits are set before a single byte is parsed.
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
      server_.options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(static_cast<std::uint64_t>(server_.options_.max_body_bytes));
  stream_.expires_after(server_.read_timeout());
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
}

void Server::Impl::Session::OnReadHeader(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  request_start_ = std::chrono::steady_clock::now();
  if (parser_->is_done()) {
    HandleRequest();
    return;
  }
  const auto& header = parser_->get();
  if (header.version() >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    continue_response_ =
        bhttp::response<bhttp::empty_body>(bhttp::status::continue_, header.version());
    stream_.expires_after(server_.read_timeout());
    bhttp::async_write(stream_, continue_response_,
                       beast::bind_front_handler(&Session::OnWriteContinue, shared_from_this()));
    return;
  }
  ReadBody();
}

void Server::Impl::Session::OnWriteContinue(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    Close();
    return;
  }
  ReadBody();
}

void Server::Impl::Session::ReadBody() {
  if (phase_ == Phase::kClosed) {
    return;
  }
  phase_ = Phase::kReadingBody;
  // The timeout bounds each wait for more of the body, not the whole upload.
  stream_.expires_after(server_.read_timeout());
  bhttp::async_read_some(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::OnReadBody, shared_from_this()));
}

void Server::Impl::Session::OnReadBody(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (parser_->is_done()) {
    HandleRequest();
  } else {
    ReadBody();
  }
}

void Server::Impl::Session::OnReadError(beast::error_code ec) {
  if (phase_ == Phase::kClosed) {
    return;
  }
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category() ||
      ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    // The peer closed, the timeout closed the socket, or the network failed: nothing to say.
    Close();
    return;
  }
  if (parser_ && parser_->is_header_done()) {
    log_method_ = std::string(parser_->get().method_string());
    log_path_ = std::string(parser_->get().target());
  }
  request_start_ = std::chrono::steady_clock::now();
  Response response;
  if (ec == bhttp::error::body_limit) {
    response = TransportProblem(
        413, "Payload too large",
        fmt::format("the request body exceeds {} bytes", server_.options_.max_body_bytes));
  } else if (ec == bhttp::error::header_limit) {
    response = TransportProblem(
        431, "Request header fields too large",
        fmt::format("the request header exceeds {} bytes", server_.options_.max_header_bytes));
  } else {
    response = TransportProblem(400, "Bad request", "malformed HTTP request: " + ec.message());
  }
  Send(std::move(response), 11, /*keep_alive=*/false, /*head=*/false);
}

void Server::Impl::Session::HandleRequest() {
  phase_ = Phase::kWriting;
  bhttp::request<bhttp::string_body> beast_request = parser_->release();
  parser_.reset();
  const unsigned version = beast_request.version();
  const bool keep_alive = beast_request.keep_alive();
  const bool head = beast_request.method() == bhttp::verb::head;

  Request request;
  request.method = MethodFromVerb(beast_request.method());
  request.target = std::string(beast_request.target());
  request.remote_address = remote_address_;
  for (const auto& field : beast_request) {
    auto [it, inserted] =
        request.headers.try_emplace(std::string(field.name_string()), std::string(field.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }
  request.body = std::move(beast_request.body());
  log_method_ = std::string(beast_request.method_string());
  log_path_ = request.target;

  Response response;
  if (version >= 11 && beast_request.find(bhttp::field::host) == beast_request.end()) {
    response = TransportProblem(400, "Bad request", "an HTTP/1.1 request needs a Host header");
  } else if (core::Result<internal::ParsedTarget> target = internal::ParseTarget(request.target);
             !target.ok()) {
    response = TransportProblem(400, "Bad request", target.error().message);
  } else {
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    log_path_ = request.path;
    try {
      response = server_.router_.Handle(request);
    } catch (const std::exception& e) {
      // The router catches handler exceptions; this is only for failures around them.
      core::LogError("http: routing failed", {{"error", e.what()}});
      response = TransportProblem(500, "A server-side error occurred", "");
    }
  }
  Send(std::move(response), version, keep_alive, head);
}

void Server::Impl::Session::Send(Response&& response, unsigned version, bool keep_alive,
                                 bool head) {
  phase_ = Phase::kWriting;
  if (response.status < 200 || response.status > 599) {
    core::LogError("http: handler returned an invalid status",
                   {{"status", response.status}, {"path", log_path_}});
    response = TransportProblem(500, "A server-side error occurred", "");
  }
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    if (IsOneOf(name, {"Connection"})) {
      if (beast::iequals(value, "close")) {
        keep_alive = false;
      }
      continue;
    }
    if (IsOneOf(name, {"Content-Length", "Transfer-Encoding", "Date", "Server"})) {
      continue;
    }
    if (!IsValidFieldName(name) || !IsValidFieldValue(value)) {
      core::LogError("http: dropped an invalid response header field",
                     {{"name", name}, {"path", log_path_}});
      continue;
    }
    out.insert(name, value);
  }
  for (const std::string& cookie : response.cookies) {
    if (!IsValidFieldValue(cookie)) {
      core::LogError("http: dropped an invalid Set-Cookie value", {{"path", log_path_}});
      continue;
    }
    out.insert(bhttp::field::set_cookie, cookie);
  }
  out.set(bhttp::field::server, "vntrace");
  out.set(bhttp::field::date, HttpDate(std::chrono::system_clock::now()));
  if (response.status != 204 && response.status != 304) {
    out.content_length(response.body.size());
    if (!head) {
      out.body() = std::move(response.body);
    }
  }
  out.keep_alive(keep_alive && !server_stopping_ && !server_.stop_requested_);
  response_ = std::move(out);

  stream_.expires_after(server_.read_timeout());
  bhttp::async_write(
      stream_, response_,
      beast::bind_front_handler(&Session::OnWrite, shared_from_this(), response_.keep_alive()));
}

void Server::Impl::Session::OnWrite(bool keep_alive, beast::error_code ec, std::size_t /*bytes*/) {
  if (core::LogEnabled(core::LogLevel::kDebug)) {
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - request_start_;
    core::LogDebug("http request", {{"method", log_method_},
                                    {"path", log_path_},
                                    {"status", response_.result_int()},
                                    {"duration_ms", fmt::format("{:.3f}", elapsed.count())},
                                    {"remote", remote_address_}});
  }
  if (ec) {
    Close();
    return;
  }
  if (!keep_alive || server_stopping_) {
    LingeringClose();
    return;
  }
  ReadHeader();
}

void Server::Impl::Session::LingeringClose() {
  if (phase_ == Phase::kClosed) {
    return;
  }
  phase_ = Phase::kLingering;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    Close();
    return;
  }
  lingered_bytes_ = 0;
  stream_.expires_after(std::min<std::chrono::seconds>(server_.read_timeout(), kLingerTimeout));
  Linger();
}

void Server::Impl::Session::Linger() {
  stream_.async_read_some(asio::buffer(linger_buffer_),
                          beast::bind_front_handler(&Session::OnLinger, shared_from_this()));
}

void Server::Impl::Session::OnLinger(beast::error_code ec, std::size_t bytes) {
  lingered_bytes_ += bytes;
  if (ec || lingered_bytes_ > kMaxLingerBytes || phase_ == Phase::kClosed) {
    Close();
    return;
  }
  Linger();
}

void Server::Impl::Session::Close() {
  phase_ = Phase::kClosed;
  stream_.close();
}

// ---------------------------------------------------------------------------------------------
// Impl

Server::Impl::Impl(const Router& router, ServerOptions options)
    : router_(router),
      options_(std::move(options)),
      ioc_(std::max(1, options_.threads)),
      strand_(asio::make_strand(ioc_)),
      acceptor_(strand_),
      signals_(strand_),
      accept_timer_(strand_),
      grace_timer_(strand_) {}

core::Status Server::Impl::Listen() {
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  const tcp::resolver::results_type endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) {
    return core::Unavailable(
        fmt::format("cannot resolve {}:{}: {}", options_.host, options_.port, ec.message()));
  }
  std::string failure = "no address to listen on";
  for (const tcp::resolver::results_type::value_type& entry : endpoints) {
    const tcp::endpoint endpoint = entry.endpoint();
    beast::error_code step;
    acceptor_.open(endpoint.protocol(), step);
    if (!step) {
      acceptor_.set_option(asio::socket_base::reuse_address(true), step);
    }
    if (!step) {
      acceptor_.bind(endpoint, step);
    }
    if (!step) {
      acceptor_.listen(asio::socket_base::max_listen_connections, step);
    }
    if (!step) {
      port_ = acceptor_.local_endpoint().port();
      return core::Ok();
    }
    failure = step.message();
    beast::error_code ignored;
    acceptor_.close(ignored);
  }
  return core::Unavailable(
      fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port, failure));
}

void Server::Impl::Run() {
  VNTRACE_ASSERT(acceptor_.is_open());  // Run() needs a successful Listen()
  const int threads = std::max(1, options_.threads);
  core::LogInfo("http server started",
                {{"host", options_.host}, {"port", port()}, {"threads", threads}});
  if (options_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](beast::error_code ec, int signal_number) {
      if (!ec) {
        core::LogInfo("http server: signal received", {{"signal", signal_number}});
        stop_requested_ = true;
        BeginShutdown();
      }
    });
  }
  asio::post(strand_, [this] { Accept(); });

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) {
    workers.emplace_back([this] { RunIoContext(ioc_); });
  }
  RunIoContext(ioc_);
  for (std::thread& worker : workers) {
    worker.join();
  }
  core::LogInfo("http server stopped", {{"port", port()}});
}

void Server::Impl::Stop() {
  if (stop_requested_.exchange(true)) {
    return;
  }
  asio::post(strand_, [this] { BeginShutdown(); });
}

void Server::Impl::Accept() {
  if (!acceptor_.is_open()) {
    return;
  }
  acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&Impl::OnAccept, this));
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) {
    return;
  }
  if (ec) {
    core::LogWarning("http server: accept failed", {{"error", ec.message()}});
    accept_timer_.expires_after(kAcceptRetryDelay);
    accept_timer_.async_wait([this](beast::error_code timer_ec) {
      if (!timer_ec) {
        Accept();
      }
    });
    return;
  }
  std::make_shared<Session>(*this, std::move(socket))->Start();
  Accept();
}

void Server::Impl::BeginShutdown() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  accept_timer_.cancel();
  live = LiveSessions();
  core::LogInfo("http server stopping", {{"open_connections", live.size()}});
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (sessions_.empty() && !io_stopped_) {
      io_stopped_ = true;
      ioc_.stop();
      return;
    }
  }
  for (const std::shared_ptr<Session>& session : live) {
    session->OnServerStop();
  }
  grace_timer_.expires_after(std::chrono::seconds(std::max(0, options_.shutdown_grace_seconds)));
  grace_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) {
      OnGraceExpired();
    }
  });
}

void Server::Impl::OnGraceExpired() {
  std::vector<std::shared_ptr<Session>> live = LiveSessions();
  if (live.empty()) {
    return;
  }
  core::LogWarning("http server: shutdown grace period over, closing connections",
                   {{"open_connections", live.size()}});
  for (const std::shared_ptr<Session>& session : live) {
    session->ForceClose();
  }
}

bool Server::Impl::AddSession(Session* key, std::weak_ptr<Session> session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    return false;
  }
  sessions_.emplace(key, std::move(session));
  return true;
}

void Server::Impl::RemoveSession(Session* key) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(key);
  if (stopping_ && sessions_.empty() && !io_stopped_) {
    io_stopped_ = true;
    ioc_.stop();
  }
}

std::vector<std::shared_ptr<Server::Impl::Session>> Server::Impl::LiveSessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard<std::mutex> lock(mu_);
  live.reserve(sessions_.size());
  for (const auto& [key, weak] : sessions_) {
    if (std::shared_ptr<Session> session = weak.lock()) {
      live.push_back(std::move(session));
    }
  }
  return live;
}

// ---------------------------------------------------------------------------------------------
// Server

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() = default;

core::Status Server::Listen() { return impl_->Listen(); }

std::uint16_t Server::port() const { return impl_->port(); }

void Server::Run() { impl_->Run(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace vntrace::http
