/**
 * The compiled catalog (dist/catalog.pack, built by `npm run build`, which `npm test` runs first):
 * it is current with catalog/, the loaders use it, and every loader returns exactly what reading
 * catalog/ directly returns.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadChip } from "../src/node/chip-catalog.js";
import { catalogMode, catalogSourceFiles, compiledCatalog, isCurrent, openCatalog, packCatalog } from "../src/node/compiled-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";
import { compiledCatalogFile } from "../src/node/paths.js";
import { catalogDump } from "./helpers/catalog-dump.js";

const tsx = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", ...args], { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env } });

describe("compiled catalog", () => {
  it("is in sync with catalog/ (the check fails on a stale copy)", () => {
    const ok = tsx("scripts/build-catalog.ts", "--check");
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    const stale = join(mkdtempSync(join(tmpdir(), "xpusim-pack-")), "catalog.pack");
    const bytes = readFileSync(compiledCatalogFile());
    const at = bytes.indexOf("989"); // a digit of some figure in the body
    bytes[at] = "8".charCodeAt(0);
    writeFileSync(stale, bytes);
    const bad = tsx("scripts/build-catalog.ts", "--check", "--out", stale);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/out of date with catalog\/; run `npm run build`/);
  }, 120_000);

  it("is what the loaders read under npm test", () => {
    expect(catalogMode()).toBe("compiled");
    expect(compiledCatalog()!.sources).toEqual(catalogSourceFiles());
    expect(catalogSourceFiles().length).toBeGreaterThan(100);
  });

  it("every loader returns the same from the artefact as from catalog/ read directly", () => {
    const mine = catalogDump();
    const out = execFileSync(process.execPath, ["--import", "tsx", "test/helpers/catalog-dump.ts"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      env: { ...process.env, XPUSIM_CATALOG: "source" },
    });
    const newline = out.indexOf("\n");
    expect(out.slice(0, newline)).toBe("source");
    expect(out.slice(newline + 1)).toBe(mine);
    expect(mine.length).toBeGreaterThan(500_000);
  }, 120_000);

  it("counts as stale when a catalog file is newer than it or the file list changed", () => {
    const sources = catalogSourceFiles();
    expect(isCurrent(sources, Date.now() + 1000)).toBe(true);
    expect(isCurrent(sources, 0)).toBe(false); // every file is newer than 1970
    expect(isCurrent(sources.slice(1), Date.now() + 1000)).toBe(false);
    expect(isCurrent([...sources, "chips/zz-new.yaml"], Date.now() + 1000)).toBe(false);
  });

  it("packs texts once and reads each back by offset", () => {
    const data = {
      format: 2,
      sources: ["chips/a.yaml"],
      folders: {
        chips: [
          { id: "a", file: "chips/a.yaml", raw: '{"id":"a"}', values: { chip: '{"μ":1}', efficiency: '{"e":1}' } },
          { id: "b", file: "chips/b.yaml", aliases: ["B"], raw: '{"id":"b"}', values: { chip: '{"b":2}', efficiency: '{"e":1}' } },
        ],
        models: [],
        families: [],
        systems: [],
        "collective-libraries": [],
        units: [],
        links: [],
        software: [],
      },
      energy: '{"nodes":[]}',
      documents: { "validation/x.yaml": '{"x":1}' },
    };
    const packed = packCatalog(data);
    const file = join(mkdtempSync(join(tmpdir(), "xpusim-pack-")), "c.pack");
    writeFileSync(file, packed);
    const c = openCatalog(file)!;
    const [a, b] = c.folders.chips;
    expect(c.text(a!.values.chip!)).toBe('{"μ":1}');
    expect(c.text(b!.values.chip!)).toBe('{"b":2}');
    expect(a!.values.efficiency).toEqual(b!.values.efficiency); // identical texts stored once
    expect(b!.aliases).toEqual(["B"]);
    expect(c.text(c.energy)).toBe('{"nodes":[]}');
    expect(JSON.parse(c.text(c.documents["validation/x.yaml"]!))).toEqual({ x: 1 });
    expect(packed.toString("utf8").split('{"e":1}').length - 1).toBe(1);
  });

  it("gives catalog chips their compiled efficiency, and a copy of a chip the computed one", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const copy = structuredClone(chip);
    expect(efficiencyFor(copy)).toEqual(efficiencyFor(chip));
    expect(efficiencyFor(chip).matrix_efficiency).toBeGreaterThan(0);
  });
});

describe("compiled catalog file", () => {
  it("can be copied and opened elsewhere (no absolute paths inside)", () => {
    const copy = join(mkdtempSync(join(tmpdir(), "xpusim-pack-")), "catalog.pack");
    copyFileSync(compiledCatalogFile(), copy);
    const c = openCatalog(copy)!;
    expect(c.folders.chips.every((e) => !e.file.startsWith("/") && e.file.startsWith("chips/"))).toBe(true);
    expect(readFileSync(copy, "utf8")).not.toContain(process.cwd());
  });
});
