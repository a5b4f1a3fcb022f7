#include "tests/support/sim_context.h"

#include <cstdlib>
#include <systemc>

namespace vp::test {

void fresh_simcontext() {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "DISABLE", 0);
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
}

}  // namespace vp::test
