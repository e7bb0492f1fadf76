#include "apk/layout_facts.h"

#include <algorithm>
#include <string_view>

#include "android/axml.h"
#include "android/res_value.h"

namespace piaudit::apk {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsToggleElement(std::string_view name) {
  size_t dot = name.rfind('.');
  std::string_view simple = dot == std::string_view::npos ? name : name.substr(dot + 1);
  for (std::string_view kind : {"CheckBox", "Switch", "RadioButton", "ToggleButton", "Chip"}) {
    if (simple.find(kind) != std::string_view::npos) return true;
  }
  return false;
}

// The text an attribute shows on a device set to Simplified Chinese, falling back to the default
// configuration: consent dialogs of Chinese apps are often localised only in values-zh*.
std::string AttributeText(const android::XmlAttribute& attr, const android::ResourceTable* table) {
  if (attr.value.type == android::ValueType::kString) return attr.value.string;
  if (attr.raw_value && !attr.value.IsReference()) return *attr.raw_value;
  if (attr.value.IsReference() && table != nullptr) {
    android::ResConfig zh;
    zh.language = "zh";
    zh.region = "CN";
    for (const android::ResConfig& config : {zh, android::ResConfig{}}) {
      auto v = table->ResolveForLocale(attr.value.data, config);
      if (v && v->type == android::ValueType::kString && !v->string.empty()) return v->string;
    }
  }
  return "";
}

std::string ViewIdName(const android::XmlAttribute& attr, const android::ResourceTable* table) {
  if (table != nullptr && attr.value.IsReference()) {
    if (auto name = table->ResourceName(attr.value.data)) return *name;
  }
  return attr.value.ToString();
}

std::string LayoutName(std::string_view entry) {
  size_t slash = entry.rfind('/');
  std::string_view base = slash == std::string_view::npos ? entry : entry.substr(slash + 1);
  if (EndsWith(base, ".xml")) base.remove_suffix(4);
  return std::string(base);
}

}  // namespace

bool LooksLikeConsentText(const knowledge::ConsentWords& words, std::string_view text) {
  for (const std::string& m : words.consent_text.words) {
    if (text.find(m) != std::string_view::npos) return true;
  }
  return false;
}

LayoutFacts ReadLayoutFacts(ApkFacts& facts, const knowledge::ConsentWords& words,
                            const Limits& limits) {
  LayoutFacts out;
  if (!facts.zip) return out;
  const android::ResourceTable* table = facts.resources ? &*facts.resources : nullptr;
  const uint32_t kText = android::FrameworkAttributeId("text");
  const uint32_t kChecked = android::FrameworkAttributeId("checked");
  const uint32_t kId = android::FrameworkAttributeId("id");
  size_t views = 0;
  for (const container::ZipEntry& entry : facts.zip->entries()) {
    if (entry.name.rfind("res/", 0) != 0 || !EndsWith(entry.name, ".xml")) continue;
    if (out.layouts_read >= limits.max_layouts ||
        entry.uncompressed_size > limits.max_layout_bytes) {
      ++out.layouts_skipped;
      continue;
    }
    auto data = facts.zip->Read(entry);
    if (!data.ok()) {
      ++out.layouts_skipped;
      facts.diagnostics.AddStatus("layout.unreadable", data.status());
      continue;
    }
    auto doc = android::ParseAxml(data->bytes(), limits, &facts.diagnostics, entry.name);
    if (!doc.ok()) {
      ++out.layouts_skipped;
      facts.diagnostics.AddStatus("layout.bad_axml", doc.status());
      continue;
    }
    ++out.layouts_read;
    ResourceStrings::Layout layout;
    layout.name = LayoutName(entry.name);
    for (const android::XmlNode& node : doc->nodes) {
      if (node.kind != android::XmlNodeKind::kElement) continue;
      const android::XmlAttribute* text_attr = android::FindAttribute(node, kText, "text");
      const android::XmlAttribute* id_attr = android::FindAttribute(node, kId, "id");
      std::string text = text_attr ? AttributeText(*text_attr, table) : "";
      if ((id_attr != nullptr || !text.empty()) && views < limits.max_layout_views) {
        ResourceStrings::LayoutView view;
        if (id_attr != nullptr && id_attr->value.IsReference()) view.id = id_attr->value.data;
        if (id_attr != nullptr) view.id_name = ViewIdName(*id_attr, table);
        view.text = text;
        layout.views.push_back(std::move(view));
        ++views;
      }
      if (!IsToggleElement(node.name)) continue;
      const android::XmlAttribute* checked = android::FindAttribute(node, kChecked, "checked");
      if (checked == nullptr || checked->value.type != android::ValueType::kIntBoolean ||
          checked->value.data == 0) {
        continue;
      }
      // The consent text is the box's own label or a sibling's (a TextView beside the box).
      std::string consent = LooksLikeConsentText(words, text) ? text : "";
      if (consent.empty() && node.parent >= 0) {
        for (uint32_t child : doc->nodes[node.parent].children) {
          const android::XmlNode& sibling = doc->nodes[child];
          if (sibling.kind != android::XmlNodeKind::kElement) continue;
          const android::XmlAttribute* t = android::FindAttribute(sibling, kText, "text");
          if (t == nullptr) continue;
          std::string s = AttributeText(*t, table);
          if (LooksLikeConsentText(words, s)) {
            consent = s;
            break;
          }
        }
      }
      if (consent.empty()) continue;
      PrecheckedConsentBox box;
      box.file = entry.name;
      box.element = node.name;
      box.view_id = id_attr ? ViewIdName(*id_attr, table) : "";
      box.text = consent;
      box.line = node.line;
      box.offset = node.offset;
      out.prechecked.push_back(std::move(box));
    }
    if (!layout.views.empty()) out.strings.layouts.push_back(std::move(layout));
  }
  return out;
}

}  // namespace piaudit::apk
