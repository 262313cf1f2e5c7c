#include "http/pages/form.hpp"

#include <string>

#include <gtest/gtest.h>

namespace vntrace::http::pages {
namespace {

struct UrlCase {
  std::string body;
  bool ok;
  std::string name;   // first field's name when ok
  std::string value;  // first field's value when ok
};

TEST(ParseUrlEncoded, Table) {
  const UrlCase cases[] = {
      {"email=a%40b.vn&password=x+y", true, "email", "a@b.vn"},
      {"name=M%E1%BA%ADt+ong", true, "name", "Mật ong"},
      {"a=", true, "a", ""},
      {"&&a=1&", true, "a", "1"},
      {"", true, "", ""},
      {"novalue", false, "", ""},
      {"a=%", false, "", ""},
      {"a=%4", false, "", ""},
      {"a=%zz", false, "", ""},
      {"a=%FF", false, "", ""},  // not UTF-8
      {"=1", false, "", ""},
  };
  for (const UrlCase& c : cases) {
    core::Result<FormData> form = ParseUrlEncoded(c.body);
    EXPECT_EQ(form.ok(), c.ok) << c.body;
    if (form.ok() && !c.name.empty()) {
      ASSERT_FALSE(form->fields.empty()) << c.body;
      EXPECT_EQ(form->fields[0].first, c.name);
      EXPECT_EQ(form->fields[0].second, c.value);
    }
  }
}

TEST(ParseUrlEncoded, Limits) {
  FormLimits limits{.max_body_bytes = 100, .max_fields = 2, .max_field_bytes = 5};
  EXPECT_TRUE(ParseUrlEncoded("a=1&b=2", limits).ok());
  EXPECT_FALSE(ParseUrlEncoded("a=1&b=2&c=3", limits).ok());
  EXPECT_FALSE(ParseUrlEncoded("a=123456", limits).ok());
  core::Result<FormData> big = ParseUrlEncoded(std::string(101, 'a'), limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, core::ErrorCode::kResourceExhausted);
}

constexpr char kBoundary[] = "XyZ";

std::string Part(std::string_view headers, std::string_view content) {
  return "--XyZ\r\n" + std::string(headers) + "\r\n\r\n" + std::string(content) + "\r\n";
}

TEST(ParseMultipart, FieldsAndOneFile) {
  std::string body = Part("Content-Disposition: form-data; name=\"csrf\"", "tok") +
                     Part(
                         "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.csv\"\r\n"
                         "Content-Type: text/csv",
                         "x,y\r\n1,2") +
                     "--XyZ--\r\n";
  core::Result<FormData> form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->Get("csrf"), "tok");
  ASSERT_TRUE(form->file.has_value());
  EXPECT_EQ(form->file->filename, "a;b.csv");
  EXPECT_EQ(form->file->content_type, "text/csv");
  EXPECT_EQ(form->file->content, "x,y\r\n1,2");
}

TEST(ParseMultipart, RefusesMalformed) {
  const std::string cases[] = {
      "",
      "garbage",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",  // no closing
      "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",       // no name
      "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nno colon here\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",  // open quote
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"",                    // no blank line
      "--XyZ",
      "--XyZ\r\n",
      "--XyZX",
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"a\"", "1") +
          Part("Content-Disposition: form-data; name=\"g\"; filename=\"b\"", "2") + "--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xFF\r\n--XyZ--",
  };
  for (const std::string& body : cases) {
    EXPECT_FALSE(ParseMultipart(body, kBoundary).ok()) << body;
  }
  EXPECT_FALSE(ParseMultipart("--\r\n", "").ok());
}

TEST(ParseMultipart, Limits) {
  FormLimits limits{.max_fields = 1, .max_field_bytes = 3, .max_file_bytes = 4};
  std::string two = Part("Content-Disposition: form-data; name=\"a\"", "1") +
                    Part("Content-Disposition: form-data; name=\"b\"", "2") + "--XyZ--";
  EXPECT_FALSE(ParseMultipart(two, kBoundary, limits).ok());
  std::string large = Part("Content-Disposition: form-data; name=\"a\"", "1234") + "--XyZ--";
  EXPECT_FALSE(ParseMultipart(large, kBoundary, limits).ok());
  std::string file =
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"x\"", "12345") + "--XyZ--";
  core::Result<FormData> refused = ParseMultipart(file, kBoundary, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kResourceExhausted);
}

TEST(ParseMultipart, EveryPrefixOfAValidBodyIsHandled) {
  std::string body = Part("Content-Disposition: form-data; name=\"a\"", "v") +
                     Part("Content-Disposition: form-data; name=\"f\"; filename=\"x\"", "data") +
                     "--XyZ--\r\n";
  for (std::size_t n = 0; n <= body.size(); ++n) {
    (void)ParseMultipart(std::string_view(body).substr(0, n), kBoundary);  // no crash
  }
  EXPECT_TRUE(ParseMultipart(body, kBoundary).ok());
}

TEST(ParseForm, PicksTheParser) {
  EXPECT_TRUE(ParseForm("application/x-www-form-urlencoded; charset=UTF-8", "a=1").ok());
  EXPECT_TRUE(ParseForm("multipart/form-data; boundary=XyZ",
                        Part("Content-Disposition: form-data; name=\"a\"", "1") + "--XyZ--")
                  .ok());
  EXPECT_TRUE(ParseForm("multipart/form-data; boundary=\"XyZ\"",
                        Part("Content-Disposition: form-data; name=\"a\"", "1") + "--XyZ--")
                  .ok());
  EXPECT_FALSE(ParseForm("multipart/form-data", "").ok());
  EXPECT_FALSE(ParseForm("application/json", "{}").ok());
  EXPECT_FALSE(ParseForm("", "a=1").ok());
}

TEST(CookieValue, Table) {
  EXPECT_EQ(CookieValue("a=1; vt_session=abc; b=2", "vt_session"), "abc");
  EXPECT_EQ(CookieValue("vt_session=\"q\"", "vt_session"), "q");
  EXPECT_EQ(CookieValue("xvt_session=1", "vt_session"), "");
  EXPECT_EQ(CookieValue("", "vt_session"), "");
  EXPECT_EQ(CookieValue(";;=;vt_session", "vt_session"), "");
}

TEST(UrlEncode, KeepsUnreserved) {
  EXPECT_EQ(UrlEncode("https://x.vn/id/a b"), "https%3A%2F%2Fx.vn%2Fid%2Fa%20b");
}

}  // namespace
}  // namespace vntrace::http::pages
