import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The shell embeds ui/dist (see src-tauri/tauri.conf.json); no dev server is needed to build the app.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
