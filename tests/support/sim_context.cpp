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

// libsystemc.so refers to sc_main (its own main() calls it). Tests bring their own main()
// from Boost.Test, so this one only satisfies the linker; it is never called.
int sc_main(int, char**) {
    return 0;
}
