export * from './actor.js';
export * from './access.service.js';
