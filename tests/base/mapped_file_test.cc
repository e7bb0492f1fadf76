#include "base/mapped_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace piaudit {
namespace {

TEST(MappedFileTest, MapsAndBoundsSize) {
  std::string path = ::testing::TempDir() + "/mapped.bin";
  {
    std::ofstream f(path, std::ios::binary);
    f << "hello";
  }
  auto m = MappedFile::Open(path, 100);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->bytes().AsStringView(), "hello");
  auto too_big = MappedFile::Open(path, 4);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(too_big.status().ToString().find(path), std::string::npos);
  std::remove(path.c_str());
}

TEST(MappedFileTest, MissingFileNamesPath) {
  auto m = MappedFile::Open("/nonexistent/x.apk", 100);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kIo);
  EXPECT_NE(m.status().ToString().find("/nonexistent/x.apk"), std::string::npos);
}

TEST(MappedFileTest, ReadFileToStringBounded) {
  std::string path = ::testing::TempDir() + "/small.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << "abc";
  }
  auto s = ReadFileToString(path, 10);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "abc");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace piaudit

namespace piaudit {
namespace {

TEST(MappedFileTest, ReleasedPagesReadBackTheSameBytes) {
  std::string path = ::testing::TempDir() + "/release.bin";
  std::string content;
  for (int i = 0; i < 3 * 65536; ++i) content.push_back(static_cast<char>(i * 7));
  {
    std::ofstream f(path, std::ios::binary);
    f << content;
  }
  auto m = MappedFile::Open(path, content.size());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ByteSpan all = (*m)->bytes();
  (*m)->Release(*all.Slice(100, all.size() - 200));  // unaligned: only whole pages inside
  (*m)->Release(ByteSpan(reinterpret_cast<const uint8_t*>(content.data()), 10));  // not ours
  EXPECT_EQ((*m)->bytes().AsStringView(), content);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace piaudit
