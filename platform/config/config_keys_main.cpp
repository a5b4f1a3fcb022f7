// Prints the configuration key reference (docs/config-keys.md) generated from the schema.
//   vp_config_keys                 → Markdown on stdout
//   vp_config_keys --check FILE    → exit 1 if FILE differs from what would be generated
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "platform/config/platform_config.h"

int main(int argc, char** argv) {
    const std::string generated = vp::config::schema_markdown();
    if (argc == 1) {
        std::cout << generated;
        return 0;
    }
    if (argc == 3 && std::string(argv[1]) == "--check") {
        std::ifstream in(argv[2], std::ios::binary);
        std::stringstream committed;
        committed << in.rdbuf();
        if (in && committed.str() == generated) return 0;
        std::cerr << argv[2] << " is out of date; regenerate it with: " << argv[0] << " > "
                  << argv[2] << "\n";
        return 1;
    }
    std::cerr << "usage: " << argv[0] << " [--check FILE]\n";
    return 2;
}
