#include "models/core/tlm_util.h"

namespace vp {

namespace {
struct Name {
    tlm::tlm_response_status status;
    const char* text;
};
const Name kNames[] = {
    {tlm::TLM_OK_RESPONSE, "ok"},
    {tlm::TLM_INCOMPLETE_RESPONSE, "incomplete"},
    {tlm::TLM_GENERIC_ERROR_RESPONSE, "generic_error"},
    {tlm::TLM_ADDRESS_ERROR_RESPONSE, "address_error"},
    {tlm::TLM_COMMAND_ERROR_RESPONSE, "command_error"},
    {tlm::TLM_BURST_ERROR_RESPONSE, "burst_error"},
    {tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, "byte_enable_error"},
};
}  // namespace

const char* response_name(tlm::tlm_response_status s) {
    for (const Name& n : kNames)
        if (n.status == s) return n.text;
    return "unknown";
}

bool parse_response_name(const std::string& text, tlm::tlm_response_status& out) {
    for (const Name& n : kNames) {
        if (text == n.text) {
            out = n.status;
            return true;
        }
    }
    return false;
}

}  // namespace vp
