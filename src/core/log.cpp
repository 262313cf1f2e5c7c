#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <utility>

namespace vntrace::core {
namespace {

constinit std::mutex g_sink_mu;
constinit LogSink* g_sink = nullptr;  // GUARDED_BY(g_sink_mu); nullptr means standard error
constinit std::atomic<LogLevel> g_min_level{LogLevel::kInfo};

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Appends `text`, escaping control characters so that it stays on one line.
void AppendEscaped(std::string& out, std::string_view text, bool quoted) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (IsControl(c)) {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
    } else if (quoted && (c == '"' || c == '\\')) {
      out += '\\';
      out += ch;
    } else {
      out += ch;
    }
  }
}

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) {
    return true;
  }
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || IsControl(c)) {
      return true;
    }
  }
  return false;
}

void WriteToStderr(const LogRecord& record) {
  std::string line = FormatLogLine(record);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (lower == "debug") {
    return LogLevel::kDebug;
  }
  if (lower == "info") {
    return LogLevel::kInfo;
  }
  if (lower == "warning" || lower == "warn") {
    return LogLevel::kWarning;
  }
  if (lower == "error") {
    return LogLevel::kError;
  }
  return InvalidArgument(fmt::format(
      "unknown log level \"{}\": expected debug, info, warning or error", text.substr(0, 32)));
}

std::optional<std::string_view> LogRecord::FieldValue(std::string_view key) const {
  for (const LogField& field : fields) {
    if (field.key == key) {
      return field.value;
    }
  }
  return std::nullopt;
}

std::string FormatLogLine(const LogRecord& record) {
  std::string out = FormatRfc3339(record.time.ToUtc(), 3);
  out += ' ';
  out += LogLevelName(record.level);
  out += ' ';
  AppendEscaped(out, record.message, /*quoted=*/false);
  for (const LogField& field : record.fields) {
    out += ' ';
    AppendEscaped(out, field.key, /*quoted=*/false);
    out += '=';
    if (NeedsQuotes(field.value)) {
      out += '"';
      AppendEscaped(out, field.value, /*quoted=*/true);
      out += '"';
    } else {
      out += field.value;
    }
  }
  return out;
}

LogSink* SetLogSink(LogSink* sink) {
  std::lock_guard<std::mutex> lock(g_sink_mu);
  return std::exchange(g_sink, sink);
}

void SetMinLogLevel(LogLevel level) { g_min_level.store(level, std::memory_order_relaxed); }

LogLevel MinLogLevel() { return g_min_level.load(std::memory_order_relaxed); }

bool LogEnabled(LogLevel level) { return level >= MinLogLevel(); }

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) {
    return;
  }
  LogRecord record{
      .time = Timestamp::FromSysTime(
          std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now())),
      .level = level,
      .message = std::string(message),
      .fields = std::vector<LogField>(fields),
  };
  std::lock_guard<std::mutex> lock(g_sink_mu);
  if (g_sink != nullptr) {
    g_sink->Write(record);
  } else {
    WriteToStderr(record);
  }
}

void LogDebug(std::string_view message, std::initializer_list<LogField> fields) {
  Log(LogLevel::kDebug, message, fields);
}
void LogInfo(std::string_view message, std::initializer_list<LogField> fields) {
  Log(LogLevel::kInfo, message, fields);
}
void LogWarning(std::string_view message, std::initializer_list<LogField> fields) {
  Log(LogLevel::kWarning, message, fields);
}
void LogError(std::string_view message, std::initializer_list<LogField> fields) {
  Log(LogLevel::kError, message, fields);
}

ScopedLogCapture::ScopedLogCapture(LogLevel min_level)
    : previous_level_(MinLogLevel()), previous_sink_(SetLogSink(this)) {
  SetMinLogLevel(min_level);
}

ScopedLogCapture::~ScopedLogCapture() {
  SetMinLogLevel(previous_level_);
  SetLogSink(previous_sink_);
}

std::vector<LogRecord> ScopedLogCapture::records() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

void ScopedLogCapture::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  records_.clear();
}

void ScopedLogCapture::Write(const LogRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  records_.push_back(record);
}

}  // namespace vntrace::core
