// Structured logging: a message plus key=value fields, at one of four levels.
//
// Records below the global minimum level (kInfo unless set) are dropped before any work is
// done. The others go to one process-wide sink: by default standard error, one line per
// record,
//   2024-05-01T03:04:05.678Z INFO server started port=8080 root="/srv/vn trace"
// that is the UTC time with milliseconds, the level, the message and the fields, values quoted
// when they are empty or contain a space, '"', '=', '\' or a control character. Control
// characters are escaped everywhere (\n, \t, \x01, ...) so a record never spans two lines.
// Tests capture records with ScopedLogCapture.
//
// Thread-safety: every function here is thread-safe. A mutex serialises the sink, so records
// never interleave; a sink must therefore not log from Write().
//
// Example:
//   core::LogInfo("server started", {{"port", 8080}, {"db", path.string()}});
//   core::LogWarning("upload rejected", {{"reason", error.ToString()}});
//   if (core::LogEnabled(core::LogLevel::kDebug)) {
//     core::LogDebug("parsed", {{"events", DescribeExpensively(doc)}});
//   }
//
//   // In a test:
//   core::ScopedLogCapture capture;
//   DoWork();
//   ASSERT_EQ(capture.records().size(), 1u);
//   EXPECT_EQ(capture.records()[0].FieldValue("port"), "8080");
#pragma once

#include <fmt/format.h>

#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace vntrace::core {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// "DEBUG", "INFO", "WARNING" or "ERROR".
std::string_view LogLevelName(LogLevel level);

// Parses "debug", "info", "warning" (or "warn") and "error", in any case, for configuration
// and --log-level. Returns kInvalidArgument for anything else.
Result<LogLevel> ParseLogLevel(std::string_view text);

// One key=value pair. Numbers and bools are formatted with fmt ("8080", "0.5", "true").
struct LogField {
  LogField(std::string_view field_key, std::string_view field_value)
      : key(field_key), value(field_value) {}
  template <typename T>
  requires std::is_arithmetic_v<T> LogField(std::string_view field_key, T field_value)
      : key(field_key), value(fmt::to_string(field_value)) {}

  std::string key;
  std::string value;
};

struct LogRecord {
  Timestamp time;  // UTC
  LogLevel level = LogLevel::kInfo;
  std::string message;
  std::vector<LogField> fields;

  // The value of the first field named `key`, or nullopt.
  std::optional<std::string_view> FieldValue(std::string_view key) const;
};

// The line the default sink writes for `record`, without the trailing newline.
std::string FormatLogLine(const LogRecord& record);

// Where records go.
// Thread-safety: Write() is called with the logging mutex held, so one call at a time; it must
// not log.
class LogSink {
 public:
  virtual ~LogSink() = default;
  LogSink(const LogSink&) = delete;
  LogSink& operator=(const LogSink&) = delete;

  virtual void Write(const LogRecord& record) = 0;

 protected:
  LogSink() = default;
};

// Installs `sink` for every later record and returns the previous one; nullptr means the
// default standard-error sink. The caller keeps ownership: `sink` must outlive its
// installation (until it is replaced and no Log call can still be writing to it).
LogSink* SetLogSink(LogSink* sink);

// The minimum level written; records below it are dropped. kInfo by default.
void SetMinLogLevel(LogLevel level);
LogLevel MinLogLevel();
// Whether a record at `level` would be written now, to skip building expensive fields.
bool LogEnabled(LogLevel level);

// Stamps a record with the system time (UTC) and writes it when `level` is enabled.
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
void LogDebug(std::string_view message, std::initializer_list<LogField> fields = {});
void LogInfo(std::string_view message, std::initializer_list<LogField> fields = {});
void LogWarning(std::string_view message, std::initializer_list<LogField> fields = {});
void LogError(std::string_view message, std::initializer_list<LogField> fields = {});

// For tests: while alive, records at `min_level` and above are kept in memory instead of
// being written, and the global minimum level is `min_level`. The destructor restores the
// previous sink and level, so captures nest but must be destroyed in reverse order of
// creation (as scoped objects are).
// Thread-safety: records() may be called while other threads log.
class ScopedLogCapture final : public LogSink {
 public:
  explicit ScopedLogCapture(LogLevel min_level = LogLevel::kDebug);
  ~ScopedLogCapture() override;

  // A copy of the records captured so far, oldest first.
  std::vector<LogRecord> records() const;
  // Forgets the records captured so far.
  void Clear();

  void Write(const LogRecord& record) override;

 private:
  // Declared first: the sink is installed while the members below are initialised.
  mutable std::mutex mu_;
  std::vector<LogRecord> records_;  // GUARDED_BY(mu_)
  const LogLevel previous_level_;
  LogSink* const previous_sink_;
};

}  // namespace vntrace::core
