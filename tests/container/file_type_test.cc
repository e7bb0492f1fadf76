// Content sniffing: each type from its magic, independent of the entry name.
#include "container/file_type.h"

#include <gtest/gtest.h>

#include <string>

namespace piaudit::container {
namespace {

FileType Detect(const std::string& s) { return DetectFileType(ByteSpan(s)); }

TEST(FileTypeTest, BinaryFormatsByMagic) {
  EXPECT_EQ(Detect(std::string("dex\n035\0", 8) + std::string(100, '\0')), FileType::kDex);
  EXPECT_EQ(Detect(std::string("dex\n039\0", 8)), FileType::kDex);
  EXPECT_EQ(Detect(std::string("dey\n036\0", 8)), FileType::kOdex);
  EXPECT_EQ(Detect(std::string("PK\x03\x04", 4) + "rest"), FileType::kZip);
  EXPECT_EQ(Detect(std::string("PK\x05\x06", 4) + std::string(18, '\0')), FileType::kZip);
  EXPECT_EQ(Detect(std::string("\x7f"
                               "ELF\x02\x01\x01",
                               7)),
            FileType::kElf);
  EXPECT_EQ(Detect(std::string("\x03\x00\x08\x00\x10\x00\x00\x00", 8)), FileType::kAxml);
  EXPECT_EQ(Detect(std::string("\x02\x00\x0c\x00\x10\x00\x00\x00", 8)), FileType::kArsc);
  EXPECT_EQ(Detect("\x89PNG\r\n\x1a\nxxxx"), FileType::kPng);
  EXPECT_EQ(Detect("\xff\xd8\xff\xe0xxxx"), FileType::kJpeg);
  EXPECT_EQ(Detect(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)), FileType::kWebp);
  EXPECT_EQ(Detect("GIF89a...."), FileType::kGif);
  EXPECT_EQ(Detect(std::string("\xca\xfe\xba\xbe\x00\x00\x00\x34", 8)), FileType::kClass);
  EXPECT_EQ(Detect(std::string("\x1f\x8b\x08\x00", 4)), FileType::kGzip);
}

TEST(FileTypeTest, AxmlNeedsItsHeaderSize) {
  // Type 3 with a wrong header size is not binary XML.
  EXPECT_NE(Detect(std::string("\x03\x00\x09\x00\x10\x00\x00\x00", 8)), FileType::kAxml);
}

TEST(FileTypeTest, TextKinds) {
  EXPECT_EQ(Detect("<!DOCTYPE html><html><body>privacy</body></html>"), FileType::kHtml);
  EXPECT_EQ(Detect("  <html lang=\"zh\">"), FileType::kHtml);
  EXPECT_EQ(Detect("<?xml version=\"1.0\"?><config/>"), FileType::kXmlText);
  EXPECT_EQ(Detect("{\"appkey\": \"abc\"}"), FileType::kJson);
  EXPECT_EQ(Detect("[1,2,3]"), FileType::kJson);
  EXPECT_EQ(Detect("\xef\xbb\xbf隐私政策 privacy policy\n"), FileType::kText);
  EXPECT_EQ(Detect(""), FileType::kEmpty);
  EXPECT_EQ(Detect(std::string("\x00\x01\x02\x03binary", 10)), FileType::kOther);
  // A UTF-8 sequence cut by the sniff window is still text.
  std::string cut(kFileTypeSniffBytes - 1, 'a');
  cut += "\xe4\xb8\xad";
  EXPECT_EQ(Detect(cut), FileType::kText);
}

TEST(FileTypeTest, NamesAndCodePayloads) {
  EXPECT_EQ(FileTypeName(FileType::kDex), "dex");
  EXPECT_EQ(FileTypeName(FileType::kZip), "zip");
  EXPECT_TRUE(IsCodePayload(FileType::kDex));
  EXPECT_TRUE(IsCodePayload(FileType::kZip));
  EXPECT_TRUE(IsCodePayload(FileType::kElf));
  EXPECT_FALSE(IsCodePayload(FileType::kPng));
  EXPECT_FALSE(IsCodePayload(FileType::kText));
}

}  // namespace
}  // namespace piaudit::container
