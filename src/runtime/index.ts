export { createRuntime, buildHttpApp, KEY_REFRESH_MS, type Runtime, type RuntimeOptions } from './runtime.js';
