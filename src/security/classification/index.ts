export * from './classification.js';
export { FieldRegistry, type FieldSource } from './field-registry.js';
