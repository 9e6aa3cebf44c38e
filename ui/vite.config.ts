import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI is served by `itw serve` from ui/dist at `/`, same origin as the API: no CDN, no runtime fetch
// of anything but our own API. `npm run dev -w ui` proxies the API to a local `itw serve`.
const api = process.env['ITW_API_URL'] ?? 'http://127.0.0.1:8023';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The builder chunk (xyflow + the JSON-Schema forms) is big on purpose; the initial chunk is what must stay small.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(['/automation', '/auth', '/health', '/openapi.json'].map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
