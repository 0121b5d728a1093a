export { createRuntime, buildHttpApp, type Runtime, type RuntimeOptions } from './runtime.js';
