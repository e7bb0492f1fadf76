// Where an entry of the knowledge base was defined: every loaded entry carries one, so messages
// and reports can cite the data file and line a regulator edits.
#ifndef PIAUDIT_KNOWLEDGE_DATA_LOCATION_H_
#define PIAUDIT_KNOWLEDGE_DATA_LOCATION_H_

#include <string>

namespace piaudit::knowledge {

struct DataLocation {
  std::string file;  // path of the YAML file as opened (kb dir + relative path)
  int line = 0;      // 1-based
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_DATA_LOCATION_H_
