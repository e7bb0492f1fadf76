#include "knowledge/yaml_tree.h"

#include <yaml.h>

#include <cstring>

namespace piaudit::knowledge {
namespace {

constexpr char kNullTag[] = "tag:yaml.org,2002:null";

std::string_view ScalarText(const yaml_node_t* n) {
  return {reinterpret_cast<const char*>(n->data.scalar.value), n->data.scalar.length};
}

}  // namespace

bool YamlNode::IsNull() const {
  if (node_ == nullptr || node_->type != YAML_SCALAR_NODE) return false;
  if (node_->tag != nullptr &&
      std::strcmp(reinterpret_cast<const char*>(node_->tag), kNullTag) == 0)
    return true;
  if (node_->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const std::string_view v = ScalarText(node_);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

bool YamlNode::IsScalar() const {
  return node_ != nullptr && node_->type == YAML_SCALAR_NODE && !IsNull();
}
bool YamlNode::IsMap() const { return node_ != nullptr && node_->type == YAML_MAPPING_NODE; }
bool YamlNode::IsSequence() const { return node_ != nullptr && node_->type == YAML_SEQUENCE_NODE; }

std::string YamlNode::Scalar() const {
  return IsScalar() ? std::string(ScalarText(node_)) : std::string();
}

size_t YamlNode::size() const {
  if (IsSequence()) return node_->data.sequence.items.top - node_->data.sequence.items.start;
  if (IsMap()) return node_->data.mapping.pairs.top - node_->data.mapping.pairs.start;
  return 0;
}

YamlNode YamlNode::At(int index) const {
  return YamlNode(doc_, yaml_document_get_node(doc_, index));
}

YamlNode YamlNode::operator[](size_t i) const {
  if (!IsSequence() || i >= size()) return YamlNode();
  return At(node_->data.sequence.items.start[i]);
}

YamlNode YamlNode::operator[](std::string_view key) const {
  if (!IsMap()) return YamlNode();
  for (const yaml_node_pair_t* p = node_->data.mapping.pairs.start;
       p != node_->data.mapping.pairs.top; ++p) {
    const yaml_node_t* k = yaml_document_get_node(doc_, p->key);
    if (k != nullptr && k->type == YAML_SCALAR_NODE && ScalarText(k) == key) return At(p->value);
  }
  return YamlNode();
}

YamlNode YamlNode::KeyAt(size_t i) const {
  if (!IsMap() || i >= size()) return YamlNode();
  return At(node_->data.mapping.pairs.start[i].key);
}

YamlNode YamlNode::ValueAt(size_t i) const {
  if (!IsMap() || i >= size()) return YamlNode();
  return At(node_->data.mapping.pairs.start[i].value);
}

int YamlNode::line() const {
  return node_ == nullptr ? 0 : static_cast<int>(node_->start_mark.line) + 1;
}

void YamlDocument::Deleter::operator()(yaml_document_s* d) const {
  yaml_document_delete(d);
  delete d;
}

Result<YamlDocument> YamlDocument::Parse(std::string_view text, int* error_line) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) return InternalError("libyaml: out of memory");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  // libyaml assumes UTF-8 without a BOM only when told; the data files are UTF-8.
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  YamlDocument out;
  auto* doc = new yaml_document_t;
  const bool ok = yaml_parser_load(&parser, doc) != 0;
  if (!ok) {
    delete doc;
    std::string msg = "YAML syntax error: ";
    msg += parser.problem != nullptr ? parser.problem : "malformed";
    if (parser.context != nullptr) {
      msg += " (";
      msg += parser.context;
      msg += ")";
    }
    if (error_line != nullptr) *error_line = static_cast<int>(parser.problem_mark.line) + 1;
    yaml_parser_delete(&parser);
    return InvalidInput(std::move(msg));
  }
  yaml_parser_delete(&parser);
  out.doc_.reset(doc);
  return out;
}

YamlNode YamlDocument::root() const {
  return doc_ ? YamlNode(doc_.get(), yaml_document_get_root_node(doc_.get())) : YamlNode();
}

}  // namespace piaudit::knowledge
