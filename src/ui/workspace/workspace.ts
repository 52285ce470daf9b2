/**
 * The workspace: specs the user brings (uploaded or edited chip/model/scenario files, HF config.json,
 * files named on `xpusim ui`'s command line), usable by every view like catalog entries. Kept in
 * localStorage and mirrored into the URL (`u=`, base64url JSON) so a shared link carries the
 * variants it uses. A view passes `specRef(id)` to a job: the inline object for a workspace id, the
 * id itself for a catalog entry.
 */
import { parse as parseYaml } from "yaml";
import { useEffect, useState } from "preact/hooks";
import { parseHash, writeParam } from "../state/url-state.js";

export type SpecKind = "chip" | "model" | "scenario" | "other";

export interface UserSpec {
  id: string;
  kind: SpecKind;
  /** The text as written (YAML or JSON). */
  text: string;
  /** Where it came from ("upload: h100-fast.yaml", "editor", "xpusim ui: chip.yaml"). */
  origin: string;
}

const STORAGE_KEY = "xpusim.workspace.v1";
let specs: UserSpec[] = load();
const listeners = new Set<() => void>();

function load(): UserSpec[] {
  const fromUrl = decodeSpecs(parseHash(location.hash).params.get("u"));
  let stored: UserSpec[] = [];
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as UserSpec[];
  } catch {
    stored = [];
  }
  const byId = new Map(stored.map((s) => [s.id, s]));
  for (const s of fromUrl) byId.set(s.id, s);
  return [...byId.values()];
}

function save(): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(specs));
  } catch {
    // storage full or disabled: the URL still carries the specs
  }
  writeParam("u", specs.length > 0 ? encodeSpecs(specs) : undefined);
  for (const l of listeners) l();
}

export function encodeSpecs(list: readonly UserSpec[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(list.map(({ id, kind, text, origin }) => ({ id, kind, text, origin }))));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeSpecs(text: string | null): UserSpec[] {
  if (!text) return [];
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const list = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as UserSpec[];
    return Array.isArray(list) ? list.filter((s) => typeof s?.id === "string" && typeof s.text === "string") : [];
  } catch {
    return [];
  }
}

/** Parses a spec text (YAML or JSON; YAML is a superset). Throws the parser's error with its line. */
export function parseSpecText(text: string): Record<string, unknown> {
  const value = parseYaml(text) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("expected a mapping (key: value) at the top level");
  return value as Record<string, unknown>;
}

/** What a document describes, from its shape (an HF config.json has `model_type`/`architectures`). */
export function guessKind(doc: Record<string, unknown>): SpecKind {
  if ("kind" in doc && ("workload" in doc || "chip" in doc)) return "scenario";
  if ("model_type" in doc || "architectures" in doc || "layers" in doc || "hidden_size" in doc || "d_model" in doc) return "model";
  if ("compute" in doc || "memory" in doc || "vendor" in doc || ("extends" in doc && "clock" in doc)) return "chip";
  return "other";
}

export function workspaceSpecs(kind?: SpecKind): UserSpec[] {
  return kind ? specs.filter((s) => s.kind === kind) : [...specs];
}

export function findSpec(id: string): UserSpec | undefined {
  return specs.find((s) => s.id === id);
}

export function putSpec(spec: UserSpec): void {
  specs = [...specs.filter((s) => s.id !== spec.id), spec];
  save();
}

export function removeSpec(id: string): void {
  specs = specs.filter((s) => s.id !== id);
  save();
}

/** The reference a job takes: the parsed inline object for a workspace id, else the catalog id. */
export function specRef(id: string): string | Record<string, unknown> {
  const s = findSpec(id);
  if (!s) return id;
  const doc = parseSpecText(s.text);
  return s.kind === "chip" || s.kind === "model" ? { id: s.id, ...doc } : doc;
}

/** Re-renders the caller when the workspace changes. */
export function useWorkspace(): UserSpec[] {
  const [list, setList] = useState(specs);
  useEffect(() => {
    const on = () => setList([...specs]);
    listeners.add(on);
    return () => void listeners.delete(on);
  }, []);
  return list;
}
