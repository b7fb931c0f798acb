// Constants replaced at build time by vite.config.ts.
declare global {
  const __APP_VERSION__: string;
  const __BUILD_ID__: string;
}

export {};
