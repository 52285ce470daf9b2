/**
 * The README's Quick start and Commands blocks, run as written (in-process, from the repository root):
 * each exits 0 and answers about what it names. A command whose file moved or whose flag was renamed
 * fails here instead of in a new user's first minute.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
const section = (title: string) => new RegExp(`## ${title}\\s[\\s\\S]*?\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1] ?? "";

/** `npx xpusim a b c   # comment` → ["a", "b", "c"] (the README uses no quotes in these lines). */
function commandsOf(block: string): string[][] {
  return [...block.matchAll(/npx xpusim ([^\n#&]*)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

/** What the answer must mention: the model, chip, system or file stem the command names. */
function subjectOf(argv: readonly string[]): string | undefined {
  for (const flag of ["--model", "--system", "--chip", "--chips"]) {
    const i = argv.indexOf(flag);
    if (i >= 0 && argv[i + 1] && argv[i + 1] !== "all") return argv[i + 1]!.split(",")[0]!.replace(/^.*\/|\.ya?ml$/g, "");
  }
  return undefined;
}

const quick = commandsOf(section("Quick start"));
const commands = commandsOf(section("Commands"));

describe("README commands", () => {
  it("finds the quick start command and the command list", () => {
    expect(quick).toHaveLength(1);
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  for (const argv of [...quick, ...commands]) {
    it(`xpusim ${argv.join(" ")}`, async () => {
      const r = await runCli(...argv);
      expect(r.code, r.err).toBe(0);
      expect(r.out.length).toBeGreaterThan(0);
      const subject = subjectOf(argv);
      // The NPU design file's answer names the chip's display name, not its file stem.
      if (subject && argv[0] !== "map") expect(r.out).toContain(subject);
    });
  }
});
