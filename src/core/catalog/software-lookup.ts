import { closest, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { SoftwareSpec } from "../spec/software-spec.js";
import type { CatalogStore } from "./catalog-store.js";
import { normaliseName } from "./names.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

/** The software-stack presets (catalog/software/<id>.yaml), by id or alias ("trtllm", "nemo"). */
export interface SoftwareLookup {
  ids(): string[];
  /** The preset an id or alias names; XpusimError E_UNKNOWN_ID with the closest ids otherwise. */
  load(idOrAlias: string, path?: string): SoftwareSpec;
  /** The catalog id an id or alias names, or undefined. */
  resolve(idOrAlias: string): string | undefined;
}

export function createSoftwareLookup(store: CatalogStore, support: SpecSupportLoader): SoftwareLookup {
  const parsed = new Map<string, SoftwareSpec>();
  let aliases: Map<string, string> | undefined;
  const aliasIndex = (): Map<string, string> => {
    if (aliases) return aliases;
    aliases = new Map();
    for (const id of store.ids()) {
      aliases.set(normaliseName(id), id);
      const list = store.aliases(id);
      if (Array.isArray(list)) for (const a of list) if (typeof a === "string") aliases.set(normaliseName(a), id);
    }
    return aliases;
  };
  const resolve = (text: string): string | undefined => (store.has(text) ? text : aliasIndex().get(normaliseName(text)));
  const spec = (id: string): SoftwareSpec => {
    let s = parsed.get(id);
    if (!s) {
      s = store.compiled<SoftwareSpec>(id, "spec") ?? support().parseWith(support().softwareSpecSchema, store.raw(id), store.file(id));
      parsed.set(id, s);
    }
    return s;
  };
  return {
    ids: () => store.ids(),
    resolve,
    load(text, path = "software") {
      const id = resolve(text);
      if (id) return spec(id);
      const known = store.ids();
      const near = closest(text, [...known, ...[...aliasIndex().keys()]]).map((n) => aliasIndex().get(n) ?? n);
      const unique = [...new Set(near)];
      throw new XpusimError(
        error("E_UNKNOWN_ID", path, `unknown software stack "${text}"`, {
          got: text,
          expected: known.join(", "),
          hint: `${unique.length ? `did you mean ${unique.map((x) => `"${x}"`).join(", ")}? ` : ""}(\`xpusim software\` lists the presets)`,
        }),
      );
    },
  };
}
