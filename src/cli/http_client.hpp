// cli::HttpClient: a small blocking HTTP/1.1 client (Boost.Beast) for the commands that talk to
// another vntrace server: `vntrace verify` and `vntrace log witness`. http:// and https://
// (OpenSSL, the system's trusted certificates, host name checked); one keep-alive connection,
// opened again when the server closed it.
//
// Thread-safety: one client per thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(cli::BaseUrl url, cli::BaseUrl::Parse("https://truyxuat.example"));
//   cli::HttpClient client(url);
//   VNTRACE_ASSIGN_OR_RETURN(cli::HttpReply reply, client.Get("/api/v1/log/sth"));
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::cli {

// "http[s]://host[:port][/prefix]": the server's root URL, without query or fragment.
struct BaseUrl {
  bool tls = false;
  std::string host;
  std::string port;    // "80" / "443" when not given
  std::string prefix;  // path prefix without a trailing '/', usually empty
  // kInvalidArgument for anything else.
  static core::Result<BaseUrl> Parse(std::string_view text);
  std::string ToString() const;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string Header(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(BaseUrl base, std::chrono::seconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `target` is a path and query below the base URL ("/api/v1/log/sth"). Any HTTP status is a
  // reply; kUnavailable when the server cannot be reached or the exchange fails.
  core::Result<HttpReply> Get(std::string_view target,
                              const std::map<std::string, std::string>& headers = {});
  core::Result<HttpReply> Post(std::string_view target, std::string_view body,
                               std::string_view content_type);

  // Any method, with `headers` (Content-Type from `content_type` when a body is sent).
  core::Result<HttpReply> Send(std::string_view method, std::string_view target,
                               std::string_view body, std::string_view content_type,
                               const std::map<std::string, std::string>& headers) {
    return Exchange(method, target, body, content_type, headers);
  }

  const BaseUrl& base() const { return base_; }

 private:
  class Connection;
  core::Result<HttpReply> Exchange(std::string_view method, std::string_view target,
                                   std::string_view body, std::string_view content_type,
                                   const std::map<std::string, std::string>& headers);

  const BaseUrl base_;
  const std::chrono::seconds timeout_;
  std::unique_ptr<Connection> connection_;
};

// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
std::string EncodeQueryValue(std::string_view value);

}  // namespace vntrace::cli
