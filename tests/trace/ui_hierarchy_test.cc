// The uiautomator dump parser and the one-file reader, including hostile dumps.
#include "trace/ui_hierarchy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "trace/collecting_sink.h"
#include "trace/internal/readers.h"

namespace piaudit::trace {
namespace {

constexpr char kDump[] =
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
    "<hierarchy rotation=\"0\">\n"
    "  <node index=\"0\" text=\"\" resource-id=\"\" class=\"android.widget.FrameLayout\" "
    "package=\"com.example\" content-desc=\"\" checkable=\"false\" checked=\"false\" "
    "clickable=\"false\" enabled=\"true\" focusable=\"false\" focused=\"false\" "
    "scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" "
    "bounds=\"[0,0][1080,2340]\">\n"
    "    <node index=\"0\" text=\"同意 &amp; 继续\" resource-id=\"com.example:id/ok\" "
    "class=\"android.widget.Button\" package=\"com.example\" content-desc=\"agree\" "
    "checkable=\"true\" checked=\"true\" clickable=\"true\" enabled=\"true\" password=\"true\" "
    "selected=\"true\" bounds=\"[540,1540][990,1680]\" />\n"
    "  </node>\n"
    "</hierarchy>\n";

TEST(UiHierarchyTest, ReadsNodesInDocumentOrder) {
  auto h = ParseUiHierarchy(kDump, "dump.xml", UiLimits());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->nodes.size(), 2u);
  const UiNode& root = h->nodes[0];
  EXPECT_EQ(root.class_name, "android.widget.FrameLayout");
  EXPECT_EQ(root.parent, -1);
  EXPECT_EQ(root.depth, 0u);
  EXPECT_EQ(root.right, 1080);
  EXPECT_EQ(root.bottom, 2340);
  EXPECT_TRUE(root.enabled);
  EXPECT_FALSE(root.clickable);
  const UiNode& b = h->nodes[1];
  EXPECT_EQ(b.text, "同意 & 继续");
  EXPECT_EQ(b.resource_id, "com.example:id/ok");
  EXPECT_EQ(b.content_desc, "agree");
  EXPECT_EQ(b.package, "com.example");
  EXPECT_TRUE(b.checkable && b.checked && b.clickable && b.password && b.selected);
  EXPECT_EQ(b.parent, 0);
  EXPECT_EQ(b.depth, 1u);
  EXPECT_EQ(b.left, 540);
  EXPECT_EQ(b.top, 1540);
}

TEST(UiHierarchyTest, AppiumPageSourceNamesElementsByClass) {
  auto h = ParseUiHierarchy(
      "<hierarchy><android.widget.TextView text='x' bounds='[1,2][3,4]'/></hierarchy>", "p.xml",
      UiLimits());
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->nodes.size(), 1u);
  EXPECT_EQ(h->nodes[0].class_name, "android.widget.TextView");
}

TEST(UiHierarchyTest, BadBoundsLeaveZeros) {
  auto h = ParseUiHierarchy(
      "<hierarchy><node bounds='[1,2][3'/><node bounds='[9999999999,0][1,1]'/>"
      "</hierarchy>",
      "b.xml", UiLimits());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->nodes[0].right, 0);
  EXPECT_EQ(h->nodes[1].left, 0);
}

TEST(UiHierarchyTest, TruncatedXmlNamesLineAndColumn) {
  const std::string cut = std::string(kDump).substr(0, 400);
  auto h = ParseUiHierarchy(cut, "cut.xml", UiLimits());
  ASSERT_FALSE(h.ok());
  const std::string msg = h.status().ToString();
  EXPECT_NE(msg.find("cut.xml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line "), std::string::npos) << msg;
  EXPECT_NE(msg.find("column "), std::string::npos) << msg;
}

TEST(UiHierarchyTest, RootMustBeHierarchy) {
  auto h = ParseUiHierarchy("<html><node/></html>", "x.xml", UiLimits());
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().ToString().find("<html>"), std::string::npos);
  EXPECT_FALSE(ParseUiHierarchy("", "empty.xml", UiLimits()).ok());
}

TEST(UiHierarchyTest, BillionLaughsIsRefused) {
  std::string xml = "<?xml version='1.0'?><!DOCTYPE hierarchy [<!ENTITY a0 'lol'>";
  for (int i = 1; i < 10; ++i) {
    xml += "<!ENTITY a" + std::to_string(i) + " '";
    for (int k = 0; k < 10; ++k) xml += "&a" + std::to_string(i - 1) + ";";
    xml += "'>";
  }
  xml += "]><hierarchy><node text='&a9;'/></hierarchy>";
  auto h = ParseUiHierarchy(xml, "lol.xml", UiLimits());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(h.status().ToString().find("DOCTYPE"), std::string::npos) << h.status().ToString();
}

TEST(UiHierarchyTest, ExternalEntityIsRefused) {
  auto h = ParseUiHierarchy(
      "<!DOCTYPE hierarchy [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
      "<hierarchy><node text='&x;'/></hierarchy>",
      "xxe.xml", UiLimits());
  ASSERT_FALSE(h.ok());
  // An undeclared entity without a DOCTYPE is plain not well-formed.
  EXPECT_FALSE(
      ParseUiHierarchy("<hierarchy><node text='&x;'/></hierarchy>", "u.xml", UiLimits()).ok());
}

TEST(UiHierarchyTest, DeepNestingStopsAtTheLimit) {
  constexpr int kDepth = 200'000;
  std::string xml = "<hierarchy>";
  for (int i = 0; i < kDepth; ++i) xml += "<node>";
  for (int i = 0; i < kDepth; ++i) xml += "</node>";
  xml += "</hierarchy>";
  const auto start = std::chrono::steady_clock::now();
  auto h = ParseUiHierarchy(xml, "deep.xml", UiLimits());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(h.status().ToString().find("max_depth"), std::string::npos);
  EXPECT_LT(ms, 2000);
}

TEST(UiHierarchyTest, NodeAndTextLimits) {
  UiLimits few;
  few.max_nodes = 3;
  EXPECT_EQ(ParseUiHierarchy("<hierarchy><node/><node/><node/><node/></hierarchy>", "n.xml", few)
                .status()
                .code(),
            StatusCode::kLimitExceeded);
  UiLimits small;
  small.max_text_bytes = 10;
  EXPECT_EQ(ParseUiHierarchy("<hierarchy><node text='0123456789ab'/></hierarchy>", "t.xml", small)
                .status()
                .code(),
            StatusCode::kLimitExceeded);
}

TEST(UiHierarchyTest, InvalidUtf8IsRefused) {
  auto h =
      ParseUiHierarchy("<hierarchy><node text='\xC3\x28 \xFF'/></hierarchy>", "u.xml", UiLimits());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidInput);
  // A Latin-1 declaration does not change that: dumps are read as UTF-8.
  EXPECT_FALSE(ParseUiHierarchy("<?xml version='1.0' encoding='ISO-8859-1'?>"
                                "<hierarchy><node text='\xE9'/></hierarchy>",
                                "l.xml", UiLimits())
                   .ok());
}

TEST(UiHierarchyTest, EightMebibyteAttributeIsKept) {
  const std::string big(8u << 20, 'a');
  auto h =
      ParseUiHierarchy("<hierarchy><node text='" + big + "'/></hierarchy>", "big.xml", UiLimits());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->nodes[0].text.size(), big.size());
}

TEST(UiautomatorReaderTest, OneUiEventWithoutTime) {
  CollectingSink sink;
  TraceFormat format;
  ASSERT_TRUE(ReadText(kDump, "window_dump.xml", sink, &format).ok());
  EXPECT_EQ(format, TraceFormat::kUiautomatorXml);
  ASSERT_EQ(sink.events.size(), 1u);
  const CopiedEvent& e = sink.events[0];
  EXPECT_EQ(e.type, EventType::kUi);
  EXPECT_EQ(e.hierarchy, kDump);
  EXPECT_TRUE(e.activity.empty());
  EXPECT_FALSE(e.t_ms);
  EXPECT_EQ(e.entry, 0u);
}

TEST(UiautomatorReaderTest, Sniffing) {
  using internal::LooksLikeUiautomatorXml;
  EXPECT_TRUE(
      LooksLikeUiautomatorXml("\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- x -->\n<hierarchy "));
  EXPECT_TRUE(LooksLikeUiautomatorXml("<hierarchy>"));
  EXPECT_FALSE(LooksLikeUiautomatorXml("<hierarchyx>"));
  EXPECT_FALSE(LooksLikeUiautomatorXml("<?xml version='1.0'?><html>"));
  EXPECT_FALSE(LooksLikeUiautomatorXml("{\"hierarchy\": 1}"));
}

TEST(UiautomatorReaderTest, BrokenDumpIsFatal) {
  CollectingSink sink;
  const std::string cut = std::string(kDump).substr(0, 300);
  const Status s =
      ReadTrace(TraceFormat::kUiautomatorXml, "cut.xml", ByteSpan(cut), {}, sink, nullptr);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(sink.events.empty());
}

}  // namespace
}  // namespace piaudit::trace
