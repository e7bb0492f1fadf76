// Camille's report: a sheet with its seven columns (隐私政策状态, 时间点, 行为主体, 操作行为,
// 行为描述, 传入参数, 调用堆栈), zipped into an xlsx by the `zip` tool in the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "trace/collecting_sink.h"
#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace {
namespace {

namespace fs = std::filesystem;

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

// Builds an xlsx whose first row's cells are shared strings and the others inline strings.
std::string MakeXlsx(const std::vector<std::vector<std::string>>& rows) {
  const fs::path dir =
      fs::temp_directory_path() / ("piaudit_camille_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "xl" / "worksheets");
  std::ofstream(dir / "[Content_Types].xml")
      << "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  std::ofstream(dir / "xl" / "workbook.xml") << "<workbook/>";
  std::string sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  std::string sheet =
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
  int shared = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    sheet += "<row r=\"" + std::to_string(r + 1) + "\">";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string ref = std::string(1, static_cast<char>('A' + c)) + std::to_string(r + 1);
      if (rows[r][c].empty()) continue;
      if (r == 0) {
        sst += "<si><t>" + Escape(rows[r][c]) + "</t><rPh><t>ignored</t></rPh></si>";
        sheet += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(shared++) + "</v></c>";
      } else {
        sheet += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" +
                 Escape(rows[r][c]) + "</t></is></c>";
      }
    }
    sheet += "</row>";
  }
  std::ofstream(dir / "xl" / "sharedStrings.xml") << sst << "</sst>";
  std::ofstream(dir / "xl" / "worksheets" / "sheet1.xml") << sheet << "</sheetData></worksheet>";
  const std::string cmd =
      "cd '" + dir.string() + "' && zip -q -X -r out.xlsx '[Content_Types].xml' xl";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "out.xlsx", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  fs::remove_all(dir);
  return ss.str();
}

const std::vector<std::string> kHeader = {"隐私政策状态", "时间点",   "行为主体", "操作行为",
                                          "行为描述",     "传入参数", "调用堆栈"};

int64_t Ms(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return DaysFromCivil(y, mo, d) * 86'400'000 + ((h * 60 + mi) * 60 + s) * 1000;
}

TEST(CamilleReaderTest, RowsBecomeApiEventsWithConsentAtTheChange) {
  const std::string xlsx = MakeXlsx({
      kHeader,
      {"同意隐私政策前", "2026-10-6 16:1:2 ", "APP本身", "获取IMEI",
       "android.telephony.TelephonyManager.getDeviceId", "",
       "java.lang.Throwable\n\tat android.telephony.TelephonyManager.getDeviceId(Native Method)\n"
       "\tat com.umeng.X.y(X.java:1)"},
      {"同意隐私政策后", "2026-10-6 16:2:0", "第三方SDK", "获取位置", "获取纬度", "",
       "at android.location.Location.getLatitude(Location.java:1)\nat com.baidu.Z.q(Z.java:3)"},
      {"同意隐私政策后", "", "APP本身", "读取剪切板", "剪切板内容 <a&b>", "arg1", ""},
  });
  CollectingSink sink;
  TraceFormat format;
  const Status s = ReadText(xlsx, "report.xlsx", sink, &format);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(format, TraceFormat::kCamilleXlsx);
  ASSERT_EQ(sink.events.size(), 4u);
  const CopiedEvent& imei = sink.events[0];
  EXPECT_EQ(imei.type, EventType::kApi);
  EXPECT_EQ(imei.api, "android.telephony.TelephonyManager.getDeviceId");
  EXPECT_EQ(imei.name, "获取IMEI");
  EXPECT_EQ(imei.t_ms, Ms(2026, 11, 6, 16, 1, 2));  // month 10 written 0-based: November
  EXPECT_EQ(imei.entry, 1u);
  EXPECT_EQ(imei.stack, (std::vector<std::string>{
                            "android.telephony.TelephonyManager.getDeviceId(Native Method)",
                            "com.umeng.X.y(X.java:1)"}));
  const CopiedEvent& consent = sink.events[1];
  EXPECT_EQ(consent.type, EventType::kConsent);
  EXPECT_EQ(consent.action, "accepted");
  EXPECT_EQ(consent.via, "camille");
  EXPECT_EQ(consent.t_ms, Ms(2026, 11, 6, 16, 2, 0));
  const CopiedEvent& lat = sink.events[2];
  EXPECT_EQ(lat.api, "android.location.Location.getLatitude");  // from the top frame
  EXPECT_EQ(lat.text, "获取纬度");
  const CopiedEvent& clip = sink.events[3];
  EXPECT_TRUE(clip.api.empty());
  EXPECT_EQ(clip.name, "读取剪切板");
  EXPECT_EQ(clip.text, "剪切板内容 <a&b>");
  EXPECT_EQ(clip.args, "arg1");
  EXPECT_FALSE(clip.t_ms);
  EXPECT_TRUE(sink.malformed.empty());
}

TEST(CamilleReaderTest, MonthTwelveMeansOneBasedAndOneStateMeansNoConsent) {
  const std::string xlsx = MakeXlsx({
      kHeader,
      {"同意隐私政策后", "2026-12-6 8:0:0", "APP本身", "获取IMEI", "x", "", ""},
      {"同意隐私政策后", "2026-11-6 8:0:0", "APP本身", "获取IMEI", "x", "", ""},
  });
  CollectingSink sink;
  ASSERT_TRUE(ReadText(xlsx, "r.xlsx", sink).ok());
  ASSERT_EQ(sink.events.size(), 2u);  // no consent event: the file never changes state
  EXPECT_EQ(sink.events[0].t_ms, Ms(2026, 12, 6, 8, 0, 0));
  EXPECT_EQ(sink.events[1].t_ms, Ms(2026, 11, 6, 8, 0, 0));
}

TEST(CamilleReaderTest, BadTimeIsMalformedButTheRowIsKept) {
  const std::string xlsx =
      MakeXlsx({kHeader, {"同意隐私政策前", "2026-10-6 16:1:2 pm", "", "a", "b", "", ""}});
  CollectingSink sink;
  ASSERT_TRUE(ReadText(xlsx, "r.xlsx", sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_FALSE(sink.events[0].t_ms);
  EXPECT_EQ(sink.malformed.size(), 1u);
}

TEST(CamilleReaderTest, LegacyXlsIsRefusedWithAReason) {
  std::string xls = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  xls += std::string(512, '\0');
  CollectingSink sink;
  TraceFormat format;
  const Status s = ReadText(xls, "report.xlsx", sink, &format);
  EXPECT_EQ(format, TraceFormat::kCamilleXlsx);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.ToString().find("xlwt"), std::string::npos);
}

TEST(CamilleReaderTest, BrokenWorkbooksFail) {
  CollectingSink sink;
  EXPECT_FALSE(ReadTrace(TraceFormat::kCamilleXlsx, "r.xlsx",
                         ByteSpan(std::string_view("PK\x03\x04junk")), {}, sink, nullptr)
                   .ok());
  std::string xlsx = MakeXlsx({kHeader});
  xlsx.resize(xlsx.size() / 2);  // cut through the central directory
  EXPECT_FALSE(
      ReadTrace(TraceFormat::kCamilleXlsx, "r.xlsx", ByteSpan(xlsx), {}, sink, nullptr).ok());
}

TEST(CamilleReaderTest, Sniffing) {
  using internal::LooksLikeCamilleXlsx;
  EXPECT_TRUE(LooksLikeCamilleXlsx(std::string_view("PK\x03\x04....[Content_Types].xml", 27)));
  EXPECT_FALSE(LooksLikeCamilleXlsx(std::string_view("PK\x03\x04....AndroidManifest.xml", 27)));
  EXPECT_FALSE(LooksLikeCamilleXlsx("<hierarchy>"));
}

}  // namespace
}  // namespace piaudit::trace
