// EDMA3 of the AM335x (SPRUH73 chapter 11): the channel controller EdmaTpcc (tpcc.h) and the
// transfer controllers EdmaTptc (tptc.h). Include this header for both. docs/models/edma.md.
#pragma once

#include "models/edma/edma_regs.h"
#include "models/edma/tpcc.h"
#include "models/edma/tptc.h"
