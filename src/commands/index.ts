export * from './handler';
export * from './seed';
export * from './generate';
export { createCommandGenerator, EMAIL_DOMAINS } from './generator';
export * from './logFile';
