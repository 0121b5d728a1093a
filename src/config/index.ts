export { loadConfig, configFor, isLoopback, ConfigError, type SeparConfig } from './config.js';
export { CONFIG_SCHEMA } from './config.schema.js';
