export { diesPerWafer } from "./dies-per-wafer.js";
export { dieYield, YIELD_MODELS, type YieldModel } from "./yield-models.js";
export { findProcessNode } from "./process-node.js";
export { dieCost, type DieCostInput, type DieCostResult } from "./die-cost.js";
export { resolveOwnershipConditions, type OwnershipConditions, type ResolvedOwnershipConditions } from "./conditions.js";
export { ownershipCost, type OwnershipInput, type OwnershipResult } from "./ownership.js";
export { usdPerMillionTokens, usdPerThousandImages, usdPerUnitOfWork } from "./work-cost.js";
