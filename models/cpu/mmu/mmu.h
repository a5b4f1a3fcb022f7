// Umbrella header of the Cortex-A8 MMU library (vp_mmu): plain C++, no SystemC.
#pragma once

#include "models/cpu/mmu/attributes.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "models/cpu/mmu/fault.h"
#include "models/cpu/mmu/permissions.h"
#include "models/cpu/mmu/tlb.h"
#include "models/cpu/mmu/translate.h"
#include "models/cpu/mmu/types.h"
#include "models/cpu/mmu/walk_cache.h"
#include "models/cpu/mmu/walker.h"
