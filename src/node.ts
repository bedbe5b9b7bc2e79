/**
 * kinemetry/node — Node-only parts: file readers/writers, the CLI entry. Re-exports the core.
 */
export * from './index';
