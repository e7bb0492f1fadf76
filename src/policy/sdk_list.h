// The third-party SDK list Chinese policies carry, written as text: runs of "key：value" fields
// (第三方SDK名称：个推 公司全称：浙江每日互动… 使用目的：推送消息 收集数据类型：设备信息；…
// 官网链接：…), one record per SDK, often on one long line. HTML tables are read by the analyser's
// table code (column roles from the header row); both end up in PolicyAnalysis::sdk_list.
//
// A key is a short run (at most kMaxKeyChars) of non-punctuation before ：or :, whose role comes
// from the table_columns words of data/policy/lexicon.yaml (tried in the order link, purpose,
// provider, data, name, as for table headers). A record starts at a name key that says SDK (the
// key or its value has an sdk_table_markers word: 权限名称 starts a permission list, not an SDK
// row) and needs one more field. A value runs to the next key or the end of its line.
#ifndef PIAUDIT_POLICY_SDK_LIST_H_
#define PIAUDIT_POLICY_SDK_LIST_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy_analysis.h"

namespace piaudit::policy {

// Field roles, in the order of PolicyLexicons::TableRole (link, purpose, provider, data, name).
struct SdkListRecord {
  std::array<TextRange, 5> fields{};  // value ranges by role; start == end when absent
};

// role_words: the table_columns words per role (PolicyLexicons::table_columns, as code points);
// markers: sdk_table_markers. At most max_records are returned.
std::vector<SdkListRecord> FindSdkListRecords(
    std::u32string_view t, const std::array<std::vector<std::u32string>, 5>& role_words,
    const std::vector<std::u32string>& markers, size_t max_records);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_SDK_LIST_H_
