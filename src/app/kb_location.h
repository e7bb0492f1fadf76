// Where the bundled knowledge tree is. Every command that reads knowledge takes `--kb DIR`; without
// it, $PIAUDIT_KB, then `data/` next to the source tree the binary was built from.
#ifndef PIAUDIT_APP_KB_LOCATION_H_
#define PIAUDIT_APP_KB_LOCATION_H_

#include <string>

namespace piaudit::app {

std::string DefaultKbDir();

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_KB_LOCATION_H_
