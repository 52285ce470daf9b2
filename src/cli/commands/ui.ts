/**
 * `xpusim ui [--port N] [--host H] [files...]`: serves the built web UI (dist/ui, `npm run
 * build:web`) on this machine and offers the named files to it (read when the page asks, so edits
 * show on reload). Runs until Ctrl+C (SIGINT) or SIGTERM, then closes and exits 0.
 */
import { join } from "node:path";
import { type Command, Option } from "commander";
import { packageRoot } from "../../node/paths.js";
import { startUiServer } from "../../server/ui-server.js";
import { UsageError } from "../output.js";

interface UiFlags {
  port: number;
  host: string;
  root?: string;
}

export function registerUiCommand(program: Command): void {
  program
    .command("ui")
    .description("serve the web UI on this machine (127.0.0.1) and open the named files in it")
    .argument("[files...]", "chip, model or scenario files the UI may read (only these; re-read on each load)")
    .option("--port <n>", "port to listen on (0 picks a free one)", portNumber, 5178)
    .option("--host <address>", "address to bind (0.0.0.0 makes the UI and the named files reachable from the network)", hostName, "127.0.0.1")
    .addOption(new Option("--root <dir>", "folder of the built UI (default: dist/ui of the package)").hideHelp())
    .action(async (files: string[], opts: UiFlags) => {
      // Listen for the signals before the URL is printed, so a stop sent as soon as it appears is not lost.
      const stop = stopSignal();
      try {
        const server = await startUiServer({ root: opts.root ?? join(packageRoot(), "dist", "ui"), host: opts.host, port: opts.port, files });
        if (server.exposedToNetwork) {
          process.stderr.write(`warning: xpusim ui listens on ${server.host}: anyone on the network can open the UI${files.length ? " and read the named files" : ""}\n`);
        }
        process.stdout.write(`xpusim ui: ${server.url}\n${files.length ? `  files: ${files.join(", ")}\n` : ""}  press Ctrl+C to stop\n`);
        await stop.received;
        await server.close();
      } finally {
        stop.dispose();
      }
    });
}

/** A promise of the first SIGINT or SIGTERM (the handlers replace the default exit, so the server can close), and a way to stop listening. */
function stopSignal(): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((done) => (onSignal = done));
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  return { received, dispose: () => process.off("SIGINT", onSignal).off("SIGTERM", onSignal) };
}

function portNumber(raw: string): number {
  const v = Number(raw);
  if (!/^[0-9]+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${raw}"`, "`--port 0` picks a free port");
  return v;
}

function hostName(raw: string): string {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(raw)) throw new UsageError(`--host must be an address or host name such as 127.0.0.1, got "${raw}"`);
  return raw;
}
