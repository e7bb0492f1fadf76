// Tests for policy/segmenter.cc.
#include "policy/segmenter.h"

#include <gtest/gtest.h>

namespace piaudit::policy {
namespace {

std::vector<std::string> Texts(const std::u32string& t, const std::vector<Sentence>& s) {
  std::vector<std::string> out;
  for (const Sentence& x : s)
    out.push_back(
        ToUtf8(std::u32string_view(t).substr(x.range.start, x.range.end - x.range.start)));
  return out;
}

TEST(SegmenterTest, ChineseEndsAndLineBreaks) {
  std::u32string t = ToU32(
      "一、我们如何收集信息\n我们会收集A；也会收集B。“好的！”然后\n  （一）注册\n1. 列表项。");
  std::vector<Sentence> s;
  std::vector<Section> secs;
  Segment(t, {}, {}, &s, &secs);
  EXPECT_EQ(Texts(t, s),
            (std::vector<std::string>{"一、我们如何收集信息", "我们会收集A；", "也会收集B。",
                                      "“好的！”", "然后", "（一）注册", "1. 列表项。"}));
  ASSERT_EQ(secs.size(), 2u);  // 一、 (1), （一） (2); "1. 列表项。" ends in 。: no heading
  EXPECT_EQ(secs[0].level, 1);
  EXPECT_EQ(secs[1].level, 2);
  EXPECT_EQ(secs[1].heading_text, "（一）注册");
  EXPECT_EQ(s[1].section, 0);
  EXPECT_TRUE(s.back().list_item);
}

TEST(SegmenterTest, EnglishUsesIcu) {
  std::u32string t =
      ToU32("We collect data, e.g. your name. We share it with partners. Version 1.2 applies.");
  std::vector<Sentence> s;
  std::vector<Section> secs;
  Segment(t, {}, {}, &s, &secs);
  EXPECT_GE(s.size(), 3u);
  EXPECT_EQ(Texts(t, s).back(), "Version 1.2 applies.");
}

TEST(SegmenterTest, LongRunIsCut) {
  std::u32string t(5000, U'字');
  std::vector<Sentence> s;
  std::vector<Section> secs;
  Segment(t, {}, {}, &s, &secs);
  ASSERT_EQ(s.size(), 3u);
  for (const Sentence& x : s) EXPECT_LE(x.range.end - x.range.start, Limits().max_sentence_chars);
  // The cut follows the limit it is given.
  Segment(t, {}, {}, &s, &secs, 1000);
  ASSERT_EQ(s.size(), 5u);
  for (const Sentence& x : s) EXPECT_EQ(x.range.end - x.range.start, 1000u);
}

TEST(SegmenterTest, HeadingLevelMatchesTrainingRule) {
  EXPECT_EQ(HeadingLevel(U"第三章 个人信息的使用"), 1);
  EXPECT_EQ(HeadingLevel(U"二、我们如何使用Cookie"), 1);
  EXPECT_EQ(HeadingLevel(U"（二）分享"), 2);
  EXPECT_EQ(HeadingLevel(U"1.2 设备信息"), 3);
  EXPECT_EQ(HeadingLevel(U"【特别提示】"), 1);
  EXPECT_EQ(HeadingLevel(U"二、我们会收集您的信息。"), 0);  // ends like a sentence
  EXPECT_EQ(HeadingLevel(U"我们会收集"), 0);
}

}  // namespace
}  // namespace piaudit::policy
