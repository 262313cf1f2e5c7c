#include "core/log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace vntrace::core {
namespace {

LogRecord MakeRecord(std::string message, std::vector<LogField> fields) {
  return LogRecord{
      .time = *ParseRfc3339("2024-05-01T10:04:05.678999+07:00"),
      .level = LogLevel::kInfo,
      .message = std::move(message),
      .fields = std::move(fields),
  };
}

TEST(FormatLogLineTest, WritesUtcTimeLevelMessageAndFields) {
  EXPECT_EQ(FormatLogLine(MakeRecord("server started", {{"port", 8080}, {"db", "/var/vn.db"}})),
            "2024-05-01T03:04:05.678Z INFO server started port=8080 db=/var/vn.db");
  EXPECT_EQ(FormatLogLine(MakeRecord("no fields", {})), "2024-05-01T03:04:05.678Z INFO no fields");
}

TEST(FormatLogLineTest, QuotesAndEscapesValues) {
  const struct {
    std::string_view value;
    std::string_view written;
  } kCases[] = {
      {"plain", "plain"},
      {"", "\"\""},
      {"two words", "\"two words\""},
      {"a=b", "\"a=b\""},
      {"say \"hi\"", "\"say \\\"hi\\\"\""},
      {"C:\\dir", "\"C:\\\\dir\""},
      {"line\nbreak", "\"line\\nbreak\""},
      {"tab\there", "\"tab\\there\""},
      {"cr\r", "\"cr\\r\""},
      {std::string_view("nul\0", 4), "\"nul\\x00\""},
      {"del\x7f", "\"del\\x7f\""},
      {"Ph\xC3\xBA_Th\xE1\xBB\x8D", "Ph\xC3\xBA_Th\xE1\xBB\x8D"},  // UTF-8 is written as is
      {"H\xC3\xA0 N\xE1\xBB\x99i", "\"H\xC3\xA0 N\xE1\xBB\x99i\""},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.written);
    EXPECT_EQ(FormatLogLine(MakeRecord("m", {{"k", c.value}})),
              "2024-05-01T03:04:05.678Z INFO m k=" + std::string(c.written));
  }
}

TEST(FormatLogLineTest, KeepsEveryRecordOnOneLine) {
  const std::string line = FormatLogLine(MakeRecord("first\nsecond\r\n", {{"key\n", "v"}}));
  EXPECT_EQ(line, "2024-05-01T03:04:05.678Z INFO first\\nsecond\\r\\n key\\n=v");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(FormatLogLineTest, FormatsNumbersAndBools) {
  EXPECT_EQ(FormatLogLine(MakeRecord("m", {{"i", -3}, {"u", 7u}, {"d", 0.5}, {"b", true}})),
            "2024-05-01T03:04:05.678Z INFO m i=-3 u=7 d=0.5 b=true");
}

TEST(LogLevelTest, NamesAndParses) {
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "DEBUG");
  EXPECT_EQ(LogLevelName(LogLevel::kInfo), "INFO");
  EXPECT_EQ(LogLevelName(LogLevel::kWarning), "WARNING");
  EXPECT_EQ(LogLevelName(LogLevel::kError), "ERROR");
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("Warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  const Result<LogLevel> bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message,
            "unknown log level \"verbose\": expected debug, info, warning or error");
}

TEST(ScopedLogCaptureTest, CapturesRecordsWithFields) {
  ScopedLogCapture capture;
  LogInfo("server started", {{"port", 8080}, {"host", "127.0.0.1"}});
  LogError("failed");
  const std::vector<LogRecord> records = capture.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].level, LogLevel::kInfo);
  EXPECT_EQ(records[0].message, "server started");
  EXPECT_EQ(records[0].FieldValue("port"), "8080");
  EXPECT_EQ(records[0].FieldValue("host"), "127.0.0.1");
  EXPECT_EQ(records[0].FieldValue("missing"), std::nullopt);
  EXPECT_EQ(records[0].time.utc_offset_minutes(), 0);
  EXPECT_EQ(records[1].level, LogLevel::kError);
  EXPECT_TRUE(records[1].fields.empty());
  capture.Clear();
  EXPECT_TRUE(capture.records().empty());
}

TEST(ScopedLogCaptureTest, FiltersByLevelAndRestoresIt) {
  const LogLevel before = MinLogLevel();
  {
    ScopedLogCapture capture(LogLevel::kWarning);
    EXPECT_EQ(MinLogLevel(), LogLevel::kWarning);
    EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
    EXPECT_TRUE(LogEnabled(LogLevel::kError));
    LogDebug("d");
    LogInfo("i");
    LogWarning("w");
    Log(LogLevel::kError, "e");
    const std::vector<LogRecord> records = capture.records();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].message, "w");
    EXPECT_EQ(records[1].message, "e");
  }
  EXPECT_EQ(MinLogLevel(), before);
}

TEST(ScopedLogCaptureTest, Nests) {
  ScopedLogCapture outer;
  LogInfo("one");
  {
    ScopedLogCapture inner;
    LogInfo("two");
    EXPECT_EQ(inner.records().size(), 1u);
  }
  LogInfo("three");
  const std::vector<LogRecord> records = outer.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].message, "one");
  EXPECT_EQ(records[1].message, "three");
}

TEST(LogTest, MinLevelDropsRecords) {
  ScopedLogCapture capture;
  SetMinLogLevel(LogLevel::kError);
  LogWarning("dropped");
  LogError("kept");
  SetMinLogLevel(LogLevel::kDebug);
  ASSERT_EQ(capture.records().size(), 1u);
  EXPECT_EQ(capture.records()[0].message, "kept");
}

TEST(LogTest, DefaultSinkWritesOneLineToStderr) {
  const LogLevel before = MinLogLevel();
  SetMinLogLevel(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  LogWarning("disk almost full", {{"free", "1 GB"}});
  LogDebug("not written");
  const std::string written = testing::internal::GetCapturedStderr();
  SetMinLogLevel(before);
  // "2024-05-01T03:04:05.678Z WARNING disk almost full free=\"1 GB\"\n"
  ASSERT_EQ(written.size(), 24 + std::string(" WARNING disk almost full free=\"1 GB\"\n").size())
      << written;
  EXPECT_TRUE(ParseRfc3339(written.substr(0, 24)).ok()) << written;
  EXPECT_EQ(written.substr(24), " WARNING disk almost full free=\"1 GB\"\n");
}

// A sink installed with SetLogSink receives records until it is replaced.
class CountingSink final : public LogSink {
 public:
  void Write(const LogRecord&) override { ++count_; }
  int count() const { return count_; }

 private:
  int count_ = 0;  // only touched under the logging mutex
};

TEST(LogTest, SetLogSinkReturnsThePreviousSink) {
  ScopedLogCapture capture;
  CountingSink sink;
  LogSink* previous = SetLogSink(&sink);
  EXPECT_EQ(previous, &capture);
  LogInfo("to the counting sink");
  EXPECT_EQ(SetLogSink(previous), &sink);
  LogInfo("to the capture");
  EXPECT_EQ(sink.count(), 1);
  EXPECT_EQ(capture.records().size(), 1u);
}

TEST(LogTest, ConcurrentLoggingLosesNothing) {
  ScopedLogCapture capture;
  constexpr int kThreads = 8;
  constexpr int kRecords = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kRecords; ++i) {
        LogInfo("work", {{"thread", t}, {"i", i}});
      }
    });
  }
  // Reading while others write is allowed.
  EXPECT_LE(capture.records().size(), static_cast<std::size_t>(kThreads * kRecords));
  for (std::thread& thread : threads) {
    thread.join();
  }
  const std::vector<LogRecord> records = capture.records();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kThreads * kRecords));
  std::vector<int> next(kThreads, 0);
  for (const LogRecord& record : records) {
    const int t = std::stoi(std::string(*record.FieldValue("thread")));
    const int i = std::stoi(std::string(*record.FieldValue("i")));
    EXPECT_EQ(i, next[t]++);  // each thread's records arrive in its order
  }
}

}  // namespace
}  // namespace vntrace::core
