#include "platform/script/cpu_steps.h"

#include <fmt/format.h>

#include <memory>

#include "platform/script/step_parser.h"
#include "platform/script/steps.h"

namespace vp::script {

namespace {

// CP15 coordinates of an MCR/MRC (ARM ARM B3.17: CRn and CRm 0–15, opc1 and opc2 0–7).
constexpr uint64_t kMaxCrn = 15;
constexpr uint64_t kMaxOpc = 7;
constexpr uint64_t kMaxVa = 0xFFFFFFFFu;

std::unique_ptr<Step> parse_cp15(StepParser& p) {
    p.fields({"crn", "opc1", "crm", "opc2", "value", "expect", "mask"});
    auto s = std::make_unique<Cp15Step>(p.key(), p.where());
    s->crn = static_cast<unsigned>(p.number("crn", kMaxCrn));
    s->opc1 = static_cast<unsigned>(p.has("opc1") ? p.number("opc1", kMaxOpc) : 0);
    s->crm = static_cast<unsigned>(p.number("crm", kMaxCrn));
    s->opc2 = static_cast<unsigned>(p.has("opc2") ? p.number("opc2", kMaxOpc) : 0);
    const bool has_value = p.has("value");
    const bool has_expect = p.has("expect");
    if (has_value == has_expect)
        p.fail(p.body(), "",
               "give either value (an MCR write) or expect (an MRC read that is checked)");
    if (has_value) {
        if (p.has("mask")) p.fail(p.field("mask"), "mask", "mask goes with expect, not value");
        s->is_write = true;
        s->value = static_cast<uint32_t>(p.sized("value", 4));
    } else {
        s->expect = static_cast<uint32_t>(p.sized("expect", 4));
        if (p.has("mask")) s->mask = static_cast<uint32_t>(p.sized("mask", 4));
        if (s->expect & ~s->mask)
            p.fail(p.field("expect"), "expect",
                   fmt::format("expect {:#010x} has bits outside mask {:#010x}: it can never match",
                               s->expect, s->mask));
    }
    return s;
}

void parse_fault(StepParser& p, VirtualAccessStep& s) {
    if (!p.has("expect_fault")) return;
    StepParser f = p.nested("expect_fault");
    f.fields({"fsr", "far"});
    ExpectedFault e;
    e.fsr = static_cast<uint32_t>(f.number("fsr", 0xFFFFFFFFu));
    e.far = static_cast<uint32_t>(f.number("far", 0xFFFFFFFFu));
    const uint32_t mask = s.is_fetch ? kIfsrCompareMask : kDfsrCompareMask;
    if (e.fsr & ~mask)
        f.fail(f.field("fsr"), "fsr",
               fmt::format("fsr {:#x} has bits other than {} (mask {:#x})", e.fsr,
                           s.is_fetch ? "the IFSR's FS" : "FS, domain and WnR", mask));
    s.expect_fault = e;
}

std::unique_ptr<Step> parse_vread(StepParser& p) {
    p.fields({"va", "size", "expect", "mask", "user", "expect_fault"});
    auto s = std::make_unique<VirtualAccessStep>(p.key(), p.where());
    s->va = static_cast<uint32_t>(p.number("va", kMaxVa));
    s->size = p.size("size", true);
    s->mask = size_mask(s->size);
    s->user = p.has("user") && p.level("user");
    if (p.has("expect")) {
        s->has_expect = true;
        s->expect = p.sized("expect", s->size);
    }
    if (p.has("mask")) {
        if (!s->has_expect)
            p.fail(p.field("mask"), "mask", "mask without expect: give the expected value too");
        s->mask = p.sized("mask", s->size);
    }
    if (s->has_expect && (s->expect & ~s->mask))
        p.fail(p.field("expect"), "expect", "expect has bits outside mask: it can never match");
    parse_fault(p, *s);
    if (s->expect_fault && s->has_expect)
        p.fail(p.field("expect"), "expect", "a read that must abort returns no data: drop expect");
    return s;
}

std::unique_ptr<Step> parse_vwrite(StepParser& p) {
    p.fields({"va", "value", "size", "user", "expect_fault"});
    auto s = std::make_unique<VirtualAccessStep>(p.key(), p.where());
    s->is_write = true;
    s->va = static_cast<uint32_t>(p.number("va", kMaxVa));
    s->size = p.size("size", true);
    s->value = p.sized("value", s->size);
    s->user = p.has("user") && p.level("user");
    parse_fault(p, *s);
    return s;
}

// Instructions are fetched a 32-bit word at a time (ARM state) up to a page and more.
constexpr uint64_t kMaxFetchBytes = 1u << 20;

std::unique_ptr<Step> parse_vfetch(StepParser& p) {
    p.fields({"va", "size", "user", "expect_fault"});
    auto s = std::make_unique<VirtualAccessStep>(p.key(), p.where());
    s->is_fetch = true;
    s->va = static_cast<uint32_t>(p.number("va", kMaxVa));
    s->size = p.has("size") ? static_cast<unsigned>(p.number("size", kMaxFetchBytes)) : 4;
    if (s->size == 0) p.fail(p.field("size"), "size", "a fetch of 0 bytes fetches nothing");
    s->user = p.has("user") && p.level("user");
    parse_fault(p, *s);
    return s;
}

}  // namespace

void add_cpu_steps(StepRegistry& r) {
    r.add("cp15", parse_cp15);
    r.add("vread", parse_vread);
    r.add("vwrite", parse_vwrite);
    r.add("vfetch", parse_vfetch);
}

}  // namespace vp::script
