export * from './app-error.js';
export * from './ids.js';
export * from './clock.js';
export * from './logger.js';
export * from './events.js';
export * from './if-match.js';
