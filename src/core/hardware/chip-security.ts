import type { ChipSpec } from "../spec/chip-spec.js";
import type { IsolationKind, SupportLevel } from "../spec/chip-security-spec.js";
import type { ProvenanceRecorder } from "./provenance-recorder.js";

/**
 * The normalised `security:` and `software:` sections of a chip. A feature the file does not state
 * is "unknown" (never "not-supported"); provenance is recorded under `security.<feature>` and
 * `software.stacks[i]` like every other figure.
 */
export interface ChipSecurity {
  confidential_computing: SupportLevel;
  memory_encryption: { device_memory: SupportLevel; host_link: SupportLevel; chip_link: SupportLevel };
  secure_boot: SupportLevel;
  attestation: SupportLevel;
  isolation: { kind: IsolationKind; max_instances?: number; mechanism?: string };
  /** Documented or measured throughput loss in confidential mode (fraction 0–1) and its range. */
  confidential_overhead?: { fraction: number; range?: [number, number] };
  note?: string;
}

export interface SoftwareStack {
  name: string;
  role?: string;
  frameworks: string[];
}

export interface ChipSoftware {
  stacks: SoftwareStack[];
  note?: string;
}

/** Every feature unknown: the security of a chip whose file has no `security:` section. */
export function unknownSecurity(): ChipSecurity {
  const u = "unknown" as const;
  return { confidential_computing: u, memory_encryption: { device_memory: u, host_link: u, chip_link: u }, secure_boot: u, attestation: u, isolation: { kind: u } };
}

/** Builds the security model of a chip (all "unknown" when the file has no `security:` section). */
export function buildSecurity(spec: ChipSpec, rec: ProvenanceRecorder): ChipSecurity {
  const s = spec.security;
  const level = (path: string, v: { value: SupportLevel } | undefined): SupportLevel => rec.take(`security.${path}`, v) ?? "unknown";
  const out: ChipSecurity = {
    confidential_computing: level("confidential_computing", s?.confidential_computing),
    memory_encryption: {
      device_memory: level("memory_encryption.device_memory", s?.memory_encryption.device_memory),
      host_link: level("memory_encryption.host_link", s?.memory_encryption.host_link),
      chip_link: level("memory_encryption.chip_link", s?.memory_encryption.chip_link),
    },
    secure_boot: level("secure_boot", s?.secure_boot),
    attestation: level("attestation", s?.attestation),
    isolation: { kind: rec.take("security.isolation", s?.isolation?.kind) ?? "unknown" },
  };
  if (s?.isolation?.max_instances !== undefined) out.isolation.max_instances = s.isolation.max_instances;
  if (s?.isolation?.mechanism) out.isolation.mechanism = s.isolation.mechanism;
  const o = s?.confidential_overhead;
  if (o) {
    const fraction = rec.take("security.confidential_overhead", o)!;
    out.confidential_overhead = { fraction, ...(o.range ? { range: o.range } : {}) };
  }
  if (s?.note) out.note = s.note;
  return out;
}

/** Builds the software ecosystem of a chip (no stacks when the file has no `software:` section). */
export function buildSoftware(spec: ChipSpec, rec: ProvenanceRecorder): ChipSoftware {
  const sw = spec.software;
  const stacks = (sw?.stacks ?? []).map((st, i): SoftwareStack => {
    const { name, role, frameworks, ...prov } = st;
    rec.take(`software.stacks[${i}]`, { value: name, ...prov });
    return { name, frameworks, ...(role ? { role } : {}) };
  });
  return { stacks, ...(sw?.note ? { note: sw.note } : {}) };
}
