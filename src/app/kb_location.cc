#include "app/kb_location.h"

#include <cstdlib>

namespace piaudit::app {

std::string DefaultKbDir() {
  if (const char* env = std::getenv("PIAUDIT_KB"); env != nullptr && *env != '\0') return env;
  return PIAUDIT_DATA_DIR;
}

}  // namespace piaudit::app
