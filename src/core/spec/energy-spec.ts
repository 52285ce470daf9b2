import { z } from "zod";
import { quantity, sourceRefs } from "./sourced.js";

/**
 * Schema of the per-action energy and area tables in catalog/energy/*.yaml. Three kinds of file:
 *  - `node`: one process node (MAC energy and area per dtype, register and SRAM energy/area versus capacity,
 *    on-chip network energy), e.g. 45 nm from Horowitz (ISSCC 2014) and 7 nm from the TPUv4i paper;
 *  - `dram`: pJ/bit per off-chip memory type;
 *  - `scaling`: the process-scaling factors used between and beyond the tabulated nodes;
 *  - `static`: energy spent per unit time rather than per action: leakage power density by node and the
 *    clock-network energy per clocked register bit per cycle.
 * Every value carries its source numbers, a confidence tag (energy-area.md's [V]/[V2]/[R]/[D] plus
 * "estimated") and, where uncertain, a range. Values are in the unit the field name says.
 */

export const CONFIDENCES = ["verified", "secondary", "recalled", "derived", "estimated"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** A sourced number: value, source refs, confidence, optional range/derivation/note. Bare numbers are not allowed. */
export const energyValue = z.strictObject({
  value: z.number().nonnegative(),
  source: sourceRefs,
  confidence: z.enum(CONFIDENCES),
  range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  derived: z.string().optional(),
  note: z.string().optional(),
});
export type EnergyValue = z.output<typeof energyValue>;

/** A point of a capacity curve (SRAM energy or area versus array capacity). */
const capacityPoint = energyValue.extend({ capacity: quantity("bytes", { positive: true }) });
export type CapacityPoint = z.output<typeof capacityPoint>;

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional() });
const sources = z.record(z.string().regex(/^\d+$/), sourceEntry);

const macDtypes = z.enum(["fp32", "tf32", "bf16", "fp16", "fp8", "int16", "int8", "int4"]);
export type MacDtype = z.output<typeof macDtypes>;

export const nodeEnergySchema = z.strictObject({
  kind: z.literal("node"),
  id: z.string(),
  name: z.string(),
  node_nm: z.number().positive(),
  sources,
  /** Energy of one multiply-accumulate (multiplier + accumulator add) per operand dtype, pJ. */
  mac_energy_pj: z.partialRecord(macDtypes, energyValue),
  /** Area of one MAC unit including its pipeline registers, µm². */
  mac_area_um2: z.partialRecord(macDtypes, energyValue),
  /** Flip-flop register (per-PE operand register / tiny register file) read or write, pJ per bit. */
  register_energy_pj_per_bit: energyValue,
  register_area_um2_per_bit: energyValue,
  /** SRAM read energy per bit versus array (bank) capacity; interpolated log-log between points. */
  sram_read_pj_per_bit: z.array(capacityPoint).min(2),
  /** Write energy as a multiple of read energy. */
  sram_write_to_read_ratio: energyValue,
  /** Macro-level SRAM area (periphery included) per MiB versus array capacity, mm²/MiB. */
  sram_area_mm2_per_mib: z.array(capacityPoint).min(1),
  /** One word moved one hop between neighbouring PEs, as a multiple of one MAC's energy. */
  noc_hop_to_mac_ratio: energyValue,
  /** Control, sequencers, accumulators and wiring, as a fraction of the MAC + memory area. */
  area_overhead_fraction: energyValue,
  notes: z.string().optional(),
});
export type NodeEnergyTable = z.output<typeof nodeEnergySchema>;

export const dramEnergySchema = z.strictObject({
  kind: z.literal("dram"),
  id: z.string(),
  sources,
  /** Memory type (lower-case, as in a chip's memory.main.type) -> pJ per bit transferred. */
  pj_per_bit: z.record(z.string(), energyValue),
  /** Aliases from chip memory type strings to keys of pj_per_bit (matched case-insensitively as prefixes). */
  aliases: z.record(z.string(), z.string()).default({}),
  default_type: z.string(),
});
export type DramEnergyTable = z.output<typeof dramEnergySchema>;

const factorPoint = energyValue.extend({ node_nm: z.number().positive() });
export type FactorPoint = z.output<typeof factorPoint>;

export const scalingSchema = z.strictObject({
  kind: z.literal("scaling"),
  id: z.string(),
  sources,
  /** Area relative to 45 nm per node (Stillmaker & Baas 2017); interpolated log-log. */
  area_factor_vs_45nm: z.array(factorPoint).min(2),
  /** Energy relative to 45 nm at equal Vdd per node, used outside the tabulated 45..7 nm span. */
  energy_factor_vs_45nm: z.array(factorPoint).min(2),
  /** Below the smallest tabulated node: area ∝ node^area_exponent, energy ∝ node^energy_exponent. */
  extrapolation_area_exponent: energyValue,
  extrapolation_energy_exponent: energyValue,
  rule: z.string(),
});
export type ScalingTable = z.output<typeof scalingSchema>;

export const staticPowerSchema = z.strictObject({
  kind: z.literal("static"),
  id: z.string(),
  sources,
  /** Leakage power per mm² of (modelled) silicon versus process node, mW/mm²; interpolated log-log in node. */
  leakage_mw_per_mm2: z.array(factorPoint).min(1),
  /**
   * Clock-network energy per clocked register (flip-flop) bit per cycle, as a multiple of the node's
   * register access energy per bit (the clock pin of every un-gated flop toggles every cycle; the tree's
   * buffers and wires add to the sink load).
   */
  clock_per_flop_bit_to_register_access: energyValue,
  rule: z.string(),
});
export type StaticPowerTable = z.output<typeof staticPowerSchema>;

export const COOLING_TYPES = ["air", "liquid"] as const;
export type CoolingType = (typeof COOLING_TYPES)[number];
export const FORM_FACTORS = ["sxm", "oam", "pcie", "mxm", "soc", "module", "wafer", "socket", "m2", "card", "tray"] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

/** One cooling arrangement's lumped one-pole thermal model (precision-power-thermal.md §3.2–3.3). */
const coolingEntry = z.strictObject({
  /** Junction-to-ambient (or -coolant) thermal resistance θ, °C/W. */
  resistance_c_per_w: energyValue,
  /** Time constant τ = R·C of the dominant (heat-sink / cold-plate) pole, s. */
  time_constant_s: energyValue,
  /** Air inlet or coolant temperature the figures assume, °C. */
  ambient_c: energyValue,
  note: z.string().optional(),
});
export type CoolingEntry = z.output<typeof coolingEntry>;

/**
 * Cooling defaults (`kind: thermal`): per cooling type, with per-form-factor overrides where a form factor
 * has its own sourced figure, and a default junction limit for chips whose own limit is unpublished.
 */
export const thermalTableSchema = z.strictObject({
  kind: z.literal("thermal"),
  id: z.string(),
  sources,
  /** Default arrangement per cooling type (applies to every form factor without an override). */
  cooling: z.strictObject({ air: coolingEntry, liquid: coolingEntry }),
  /** Form factors whose resistance differs from the cooling type's default (e.g. a PCIe card's passive sink). */
  form_factor_overrides: z.partialRecord(z.enum(FORM_FACTORS), z.partialRecord(z.enum(COOLING_TYPES), coolingEntry.partial())).default({}),
  /** Form factors with no sourced air-cooling figure: the model refuses to guess their resistance (a cold plate's applies to any). */
  air_unsupported_form_factors: z.array(z.enum(FORM_FACTORS)).default([]),
  /** Junction (max operating, software-throttle) temperature for a chip that publishes none, °C. */
  default_tj_max_c: energyValue,
  rule: z.string(),
});
export type ThermalTable = z.output<typeof thermalTableSchema>;

/** Rack packaging of a catalog system (rack power density). */
const rackEntry = z.strictObject({
  nodes_per_rack: energyValue,
  /** Maximum input power of one node (all its chips at TDP, CPUs, NICs, fans), W. */
  node_max_power_w: energyValue,
  /** Rack power outside the nodes (switch trays, power shelves), W. */
  rack_other_w: energyValue.optional(),
  cooling: z.enum(COOLING_TYPES).optional(),
});
export type RackEntry = z.output<typeof rackEntry>;

/** Facility defaults (`kind: facility`): PUE per cooling type, electricity price, grid carbon, rack packaging per system. */
export const facilityTableSchema = z.strictObject({
  kind: z.literal("facility"),
  id: z.string(),
  sources,
  pue: z.strictObject({ air: energyValue, liquid: energyValue }),
  usd_per_kwh: energyValue,
  grid_kg_co2_per_kwh: energyValue,
  /** Air cooling's practical rack limit, kW (above it racks go liquid). */
  air_rack_limit_kw: energyValue,
  racks: z.record(z.string(), rackEntry).default({}),
  rule: z.string(),
});
export type FacilityTable = z.output<typeof facilityTableSchema>;

export const energyFileSchema = z.discriminatedUnion("kind", [nodeEnergySchema, dramEnergySchema, scalingSchema, staticPowerSchema, thermalTableSchema, facilityTableSchema]);
export type EnergyFile = z.output<typeof energyFileSchema>;

/** Everything the energy and area models need, as loaded from catalog/energy. */
export interface EnergyCatalog {
  nodes: NodeEnergyTable[];
  dram: DramEnergyTable;
  scaling: ScalingTable;
  /** Leakage and clock-network constants; absent, the static and clock energies are zero. */
  static?: StaticPowerTable;
  /** Cooling defaults per cooling type and form factor (catalog/energy/cooling.yaml); absent, thermal needs explicit inputs. */
  thermal?: ThermalTable;
  /** PUE, electricity price, grid carbon, rack packaging (catalog/energy/facility.yaml). */
  facility?: FacilityTable;
}
