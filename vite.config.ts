/**
 * The web UI build (`npm run build:web`): src/ui → dist/ui, a static site that works from any host
 * and offline (relative asset paths, no CDN, no remote fonts). The engine and the compiled catalog
 * (dist/catalog.pack, made by `npm run build`) are part of the site; vega loads on the first chart.
 */
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: "src/ui",
  base: "./",
  plugins: [preact()],
  publicDir: false,
  resolve: { alias: [{ find: /^xpusim-catalog\.pack/, replacement: fileURLToPath(new URL("dist/catalog.pack", import.meta.url)) }] },
  build: {
    outDir: "../../dist/ui",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1", proxy: { "/api": "http://127.0.0.1:8787" } },
});
