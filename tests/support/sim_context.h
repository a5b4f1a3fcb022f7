// Test support: a fresh SystemC kernel for each test case.
#pragma once

namespace vp::test {

// Replaces the current SystemC simulation context with a new one, so a test case can
// elaborate and simulate its own tiny platform. The old context is leaked on purpose:
// SystemC 2.3 cannot tear one down safely. Destroy your modules before calling this.
void fresh_simcontext();

// Boost.Test fixture: BOOST_FIXTURE_TEST_CASE(name, vp::test::FreshSim) { ... }
struct FreshSim {
    FreshSim() { fresh_simcontext(); }
};

}  // namespace vp::test
