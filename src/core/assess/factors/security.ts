import type { Chip } from "../../hardware/chip.js";
import type { SupportLevel } from "../../spec/chip-security-spec.js";
import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/**
 * Security factor (issue #9): how many of five sourced security features the chip has, in order of
 * importance for data in use (the rubric, docs/cost.md "Security"):
 *   1. confidential computing (a TEE that keeps data in use from the host)
 *   2. attestation (the chip proves its identity and firmware)
 *   3. memory encryption (device memory, host link or chip link encrypted)
 *   4. multi-tenant isolation (hardware partitions such as MIG, or SR-IOV)
 *   5. secure boot (only signed firmware runs)
 * value = features supported (0–5); an unknown feature counts as absent and is listed; limited_by = the
 * most important feature not supported. All five unknown → value null. The deployment's data exposure
 * (cloud, on-premises, edge) is stated in details, with the documented overhead of confidential mode.
 */
export const SECURITY_FEATURES = ["confidential_computing", "attestation", "memory_encryption", "isolation", "secure_boot"] as const;
export type SecurityFeature = (typeof SECURITY_FEATURES)[number];

const LABEL: Record<SecurityFeature, string> = {
  confidential_computing: "confidential computing",
  attestation: "attestation",
  memory_encryption: "memory encryption",
  isolation: "multi-tenant isolation",
  secure_boot: "secure boot",
};

/** Each feature of the rubric, read from the chip's normalised security section. */
export function securityFeatures(chip: Chip): Record<SecurityFeature, SupportLevel> {
  const s = chip.security;
  const enc = [s.memory_encryption.device_memory, s.memory_encryption.host_link, s.memory_encryption.chip_link];
  const iso = s.isolation.kind;
  return {
    confidential_computing: s.confidential_computing,
    attestation: s.attestation,
    memory_encryption: enc.includes("supported") ? "supported" : enc.every((e) => e === "not-supported") ? "not-supported" : "unknown",
    isolation: iso === "hardware-partitions" || iso === "sr-iov" ? "supported" : iso === "unknown" ? "unknown" : "not-supported",
    secure_boot: s.secure_boot,
  };
}

export function securityFactor(ctx: FactorContext): FactorValue {
  const unit = `features of ${SECURITY_FEATURES.length}`;
  const f = securityFeatures(ctx.chip);
  const unknown = SECURITY_FEATURES.filter((k) => f[k] === "unknown");
  if (unknown.length === SECURITY_FEATURES.length)
    return { ...unknownFactor(unit, "higher", SECURITY_FEATURES.map((k) => `security.${k}`), `no sourced security data for ${ctx.chip.id}`), details: exposureDetails(ctx) };
  const present = SECURITY_FEATURES.filter((k) => f[k] === "supported");
  const firstMissing = SECURITY_FEATURES.find((k) => f[k] !== "supported");
  const details: Record<string, number | string | boolean | null> = Object.fromEntries(SECURITY_FEATURES.map((k) => [k, f[k]]));
  const s = ctx.chip.security;
  details.isolation_kind = s.isolation.kind;
  details.isolation_max_instances = s.isolation.max_instances ?? null;
  details.memory_encryption_device_memory = s.memory_encryption.device_memory;
  details.memory_encryption_host_link = s.memory_encryption.host_link;
  details.memory_encryption_chip_link = s.memory_encryption.chip_link;
  details.confidential_overhead_fraction = s.confidential_overhead?.fraction ?? null;
  details.confidential_overhead_low = s.confidential_overhead?.range?.[0] ?? null;
  details.confidential_overhead_high = s.confidential_overhead?.range?.[1] ?? null;
  Object.assign(details, exposureDetails(ctx));
  return {
    value: present.length,
    unit,
    better: "higher",
    rank: null,
    limited_by: limitedBy(ctx, f, firstMissing),
    note:
      `${present.length} of ${SECURITY_FEATURES.length} features supported${present.length ? ` (${present.map((k) => LABEL[k]).join(", ")})` : ""}` +
      (unknown.length ? `; unknown, counted as absent: ${unknown.map((k) => LABEL[k]).join(", ")}` : ""),
    basis: "sourced",
    ...(sourceTitles(ctx.chip) ? { source: sourceTitles(ctx.chip)! } : {}),
    details,
  };
}

function limitedBy(ctx: FactorContext, f: Record<SecurityFeature, SupportLevel>, firstMissing: SecurityFeature | undefined): string | null {
  if (ctx.conditions.deployment === "cloud" && f.confidential_computing !== "supported")
    return `no ${f.confidential_computing === "unknown" ? "documented " : ""}confidential computing: the cloud provider's host can see data in use`;
  if (!firstMissing) return null;
  return `${LABEL[firstMissing]} ${f[firstMissing] === "unknown" ? "unknown (no source)" : "not supported"}`;
}

/** Who can see plaintext data in use, for the deployment the conditions state (routes-cost-security.md §4.8). */
function exposureDetails(ctx: FactorContext): Record<string, string | number | null> {
  const d = ctx.conditions.deployment;
  const cc = ctx.chip.security.confidential_computing === "supported";
  const exposure =
    d === "edge"
      ? "data stays on the device; the device OS (or its TrustZone world) sees plaintext"
      : d === "on-premises"
        ? "data stays within the site; host administrators see plaintext in use"
        : d === "cloud"
          ? cc
            ? "data leaves the site; with confidential computing on, only the attested confidential VM sees plaintext"
            : "data leaves the site; the provider's host and hypervisor can see plaintext in use"
          : "deployment not stated";
  return { deployment: d ?? null, data_exposure: exposure };
}

function sourceTitles(chip: Chip): string | undefined {
  const refs = new Set<number>();
  for (const [path, p] of Object.entries(chip.provenance)) if (path.startsWith("security.")) for (const n of p.source ?? []) refs.add(n);
  const titles = [...refs].sort((a, b) => a - b).map((n) => chip.sources[String(n)]?.title).filter((t): t is string => !!t);
  return titles.length ? titles.join("; ") : undefined;
}
