#include "base/diagnostics.h"

#include <gtest/gtest.h>

namespace piaudit {
namespace {

TEST(DiagnosticsTest, KeepsAtMostItsCapAndCountsTheRest) {
  Diagnostics d(2);
  for (int i = 0; i < 5; ++i) d.Add(Severity::kWarning, "c", "f", "s", i, "m");
  EXPECT_EQ(d.items().size(), 2u);
  EXPECT_EQ(d.dropped(), 3u);
  EXPECT_EQ(d.items()[1].offset, 1u);
}

TEST(DiagnosticsTest, MergeAppendsInOrderWithinTheCapAndAddsDropped) {
  Diagnostics main(3);
  main.Add(Severity::kWarning, "a", "f", "s", 0, "first");
  Diagnostics stage(1);
  stage.Add(Severity::kError, "b", "f", "s", 1, "second");
  stage.Add(Severity::kError, "b", "f", "s", 2, "dropped by the stage");
  main.Merge(stage);
  ASSERT_EQ(main.items().size(), 2u);
  EXPECT_EQ(main.items()[1].message, "second");
  EXPECT_EQ(main.dropped(), 1u);
  EXPECT_TRUE(main.HasErrors());
  Diagnostics full(1);
  full.Add(Severity::kWarning, "a", "f", "s", 0, "only");
  full.Merge(main);
  EXPECT_EQ(full.items().size(), 1u);
  EXPECT_EQ(full.dropped(), 3u);  // two items over the cap + main's one
}

}  // namespace
}  // namespace piaudit
