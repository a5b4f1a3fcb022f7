// copy_{to,from}_user, get_user/put_user, clear_user: lib/tests/usercopy_kunit.c's valid and
// invalid cases (linux-mm.md §14.7) and the §15 row "copy_from_user(dst, kernel_ptr, n) ->
// returns n, dst zero-filled"; return values of §12.1 (bytes not copied; 0 / -EFAULT).
#define BOOST_TEST_MODULE uaccess
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <vector>

#include "sw/kernel/boot.h"
#include "sw/mm/asid.h"
#include "sw/mm/mmap.h"
#include "sw/mm/slab.h"
#include "sw/mm/uaccess.h"
#include "tests/support/guest_machine.h"
#include "tests/support/sim_context.h"

using namespace kernel;

namespace {

void with_process(vp::test::GuestMachine& m,
                  const std::function<void(hal::Cpu&, mm_struct*, uint32_t)>& body) {
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        asid_reset();
        user_mm_init();
        mm_struct* mm = mm_alloc();
        const uint32_t u =
            vm_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_REQUIRE(!IS_ERR_VALUE(u));
        switch_mm(nullptr, mm);  // the process is current, the kernel runs on its behalf
        body(c, mm, u);
        mmput(mm);
        user_mm_exit();
    });
}

}  // namespace

// usercopy_test_valid: a page round-trips through user memory (demand-paged on the way);
// get_user/put_user of every size round-trip.
BOOST_FIXTURE_TEST_CASE(usercopy_valid, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_process(m, [&](hal::Cpu& c, mm_struct* mm, uint32_t u) {
        const uint32_t kmem = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
        BOOST_REQUIRE(kmem != 0u);
        for (uint32_t i = 0; i < PAGE_SIZE; ++i)
            c.store8(kmem + i, static_cast<uint8_t>(i * 7));
        BOOST_TEST(copy_to_user(u, kmem, PAGE_SIZE) == 0u);
        BOOST_TEST(mm->anon_pages == 1u);  // the fault inside the copy mapped the page
        BOOST_TEST(copy_from_user(kmem + PAGE_SIZE, u, PAGE_SIZE) == 0u);
        bool same = true;
        for (uint32_t i = 0; i < PAGE_SIZE; i += 97)
            same = same && c.load8(kmem + PAGE_SIZE + i) == static_cast<uint8_t>(i * 7);
        BOOST_TEST(same);
        // Host-buffer forms.
        const char msg[] = "hello, user";
        BOOST_TEST(copy_to_user(u + 100, msg, sizeof msg) == 0u);
        char back[sizeof msg] = {};
        BOOST_TEST(copy_from_user(back, u + 100, sizeof msg) == 0u);
        BOOST_TEST(std::memcmp(back, msg, sizeof msg) == 0);
        // get_user / put_user of u8, u16, u32, u64.
        BOOST_TEST(put_user(uint8_t{0x5A}, u + PAGE_SIZE) == 0);
        BOOST_TEST(put_user(uint16_t{0x1234}, u + PAGE_SIZE + 2) == 0);
        BOOST_TEST(put_user(uint32_t{0xDEADBEEF}, u + PAGE_SIZE + 4) == 0);
        BOOST_TEST(put_user(uint64_t{0x0123456789ABCDEFull}, u + PAGE_SIZE + 8) == 0);
        uint8_t b = 0;
        uint16_t h = 0;
        uint32_t w = 0;
        uint64_t d = 0;
        BOOST_TEST(get_user(b, u + PAGE_SIZE) == 0);
        BOOST_TEST(get_user(h, u + PAGE_SIZE + 2) == 0);
        BOOST_TEST(get_user(w, u + PAGE_SIZE + 4) == 0);
        BOOST_TEST(get_user(d, u + PAGE_SIZE + 8) == 0);
        BOOST_TEST(b == 0x5A);
        BOOST_TEST(h == 0x1234);
        BOOST_TEST(w == 0xDEADBEEFu);
        BOOST_TEST(d == 0x0123456789ABCDEFull);
        BOOST_TEST(clear_user(u + PAGE_SIZE, 16) == 0u);
        BOOST_TEST(get_user(d, u + PAGE_SIZE + 8) == 0);
        BOOST_TEST(d == 0u);
        kfree(kmem);
    });
}

// usercopy_test_invalid: kernel addresses as the user side fail; copy_from_user zero-fills
// the destination; a failing get_user yields 0; a failing put_user writes nothing.
BOOST_FIXTURE_TEST_CASE(usercopy_invalid, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_process(m, [&](hal::Cpu& c, mm_struct*, uint32_t) {
        const uint32_t kmem = kmalloc(PAGE_SIZE, GFP_KERNEL);
        const uint32_t kdst = kmalloc(PAGE_SIZE, GFP_KERNEL);
        BOOST_REQUIRE(kmem && kdst);
        c.fill(kmem, 0x11, PAGE_SIZE);
        c.fill(kdst, 0xAA, PAGE_SIZE);
        // §15: copy_from_user(dst, kernel_ptr, n) returns n, dst zero-filled.
        BOOST_TEST(copy_from_user(kdst, kmem, PAGE_SIZE) == PAGE_SIZE);
        bool zero = true;
        for (uint32_t i = 0; i < PAGE_SIZE; i += 61)
            zero = zero && c.load8(kdst + i) == 0;
        BOOST_TEST(zero);
        std::vector<uint8_t> host(64, 0xAA);
        BOOST_TEST(copy_from_user(host.data(), kmem, 64) == 64u);
        BOOST_TEST(host[0] == 0u);
        BOOST_TEST(host[63] == 0u);
        BOOST_TEST(copy_to_user(kmem, kdst, PAGE_SIZE) == PAGE_SIZE);
        BOOST_TEST(c.load8(kmem) == 0x11);  // not written
        uint32_t v = 0xFFFFFFFFu;
        BOOST_TEST(get_user(v, kmem) == -EFAULT);
        BOOST_TEST(v == 0u);
        BOOST_TEST(put_user(uint32_t{0x22222222}, kmem) == -EFAULT);
        BOOST_TEST(c.load32(kmem) == 0x11111111u);
        // A range that wraps or ends above TASK_SIZE fails access_ok.
        BOOST_TEST(!access_ok(TASK_SIZE - 4, 8));
        BOOST_TEST(!access_ok(0xFFFFFFF0u, 0x20));
        BOOST_TEST(access_ok(TASK_SIZE - 8, 8));
        kfree(kmem);
        kfree(kdst);
    });
}

// A copy that runs into an unmapped page stops there: the bytes not copied are returned and
// (copy_from_user) the kernel tail is zeroed.
BOOST_FIXTURE_TEST_CASE(usercopy_partial_at_unmapped_page, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_process(m, [&](hal::Cpu&, mm_struct* mm, uint32_t u) {
        std::vector<uint8_t> src(PAGE_SIZE, 0x77);
        BOOST_TEST(copy_to_user(u, src.data(), PAGE_SIZE) == 0u);
        BOOST_TEST(vm_munmap(mm, u + PAGE_SIZE, PAGE_SIZE) == 0);
        std::vector<uint8_t> dst(2 * PAGE_SIZE, 0xAA);
        BOOST_TEST(copy_from_user(dst.data(), u, 2 * PAGE_SIZE) == PAGE_SIZE);
        BOOST_TEST(dst[0] == 0x77);
        BOOST_TEST(dst[PAGE_SIZE - 1] == 0x77);
        BOOST_TEST(dst[PAGE_SIZE] == 0u);
        BOOST_TEST(dst[2 * PAGE_SIZE - 1] == 0u);
        std::vector<uint8_t> big(2 * PAGE_SIZE, 0x33);
        BOOST_TEST(copy_to_user(u + PAGE_SIZE / 2, big.data(), PAGE_SIZE) == PAGE_SIZE / 2);
    });
}

// The copy is unprivileged (as LDRT/STRT): a read-only user mapping refuses copy_to_user.
BOOST_FIXTURE_TEST_CASE(copy_to_readonly_mapping_fails, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_process(m, [&](hal::Cpu&, mm_struct* mm, uint32_t) {
        const uint32_t ro = vm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_REQUIRE(!IS_ERR_VALUE(ro));
        uint32_t v = 1;
        BOOST_TEST(get_user(v, ro) == 0);  // maps the zero page
        BOOST_TEST(v == 0u);
        const uint32_t x = 5;
        BOOST_TEST(copy_to_user(ro, &x, 4) == 4u);
        BOOST_TEST(put_user(x, ro) == -EFAULT);
    });
}
