export * from './handler';
export * from './seed';
export * from './generate';
export { createCommandGenerator } from './generator';
export * from './logFile';
