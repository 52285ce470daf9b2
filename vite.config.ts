/**
 * The web UI build (`npm run build:web`): src/ui → dist/ui, a static site that works from any host
 * and offline (relative asset paths, no CDN, no remote fonts). The engine and the compiled catalog
 * (dist/catalog.pack, made by `npm run build`) are part of the site; vega loads on the first chart.
 */
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/**
 * Starts the catalog download with the page (a preload link in index.html) instead of after the
 * script has run: the engine needs both, and fetching them in parallel is most of a fast first view.
 */
function preloadCatalog(): Plugin {
  return {
    name: "xpusim-preload-catalog",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const pack = Object.keys(ctx.bundle ?? {}).find((f) => /catalog-[^/]*\.pack$/.test(f));
        return pack ? html.replace("</head>", `  <link rel="preload" href="./${pack}" as="fetch" type="application/octet-stream" crossorigin>\n  </head>`) : html;
      },
    },
  };
}

export default defineConfig({
  root: "src/ui",
  base: "./",
  plugins: [preact(), preloadCatalog()],
  publicDir: false,
  resolve: { alias: [{ find: /^xpusim-catalog\.pack/, replacement: fileURLToPath(new URL("dist/catalog.pack", import.meta.url)) }] },
  build: {
    outDir: "../../dist/ui",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // the engine (core + zod + yaml) as one chunk named for what it is, shared by the page and the worker
        manualChunks: (id) => (/[\\/]src[\\/]core[\\/]|[\\/]node_modules[\\/](zod|yaml)[\\/]/.test(id) ? "engine" : undefined),
      },
    },
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1", proxy: { "/api": "http://127.0.0.1:8787" } },
});
