/**
 * The power and thermal model (issue #9; docs/power.md): power over a workload, DVFS under a power cap,
 * a lumped-RC junction model with throttling, facility energy, cost and CO₂, rack power density.
 */
export { type PowerAnalysis, type PowerAnalysisInput, analysePower, type OperatingSummary, type ThermalSummary } from "./analyse-power.js";
export { averagePowerW, type CapOperatingPoint, operatingPointUnderCap, peakSegmentPowerW, phaseEnergyJ, phasePowerW, phaseTimeS, profileEnergyJ, profileTimeS } from "./dvfs.js";
export { type SustainedOperatingPoint, sustainedOperatingPoint } from "./operating-point.js";
export { checkFacilityInputs, type FacilityFigures, type FacilityInputs, facilityOf } from "./facility.js";
export { coolingOf, type PowerConditions, resolveFacility, resolveThermal, type ResolvedFacility, type ResolvedThermal } from "./power-conditions.js";
export { type PowerProfile, type ProfilePhase, ProfileBuilder } from "./power-profile.js";
export { type RackFigures, type RackInputs, rackPowerOf } from "./rack.js";
export { checkThermalParams, steadyTjC, type ThermalParams, thermalPowerLimitW, timeToLimitS, tjAtC } from "./thermal.js";
export { burstToSustained, type OperatingState, type TimelinePoint } from "./timeline.js";
export { dynamicEnergyScale, type VoltageFrequency, voltageAt } from "./voltage-frequency.js";
export { inferenceProfile, trainingProfile, type WorkloadProfile } from "./workload-profile.js";
export { type EstimateForPower, powerOfEstimate, type PowerOfEstimate } from "./estimate-power.js";
