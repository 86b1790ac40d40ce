export const APP_CONFIG = Symbol('APP_CONFIG');
/** The read store as the background workers write it: fenced by this instance's lease term (ADR 0063). */
export const WORKER_READ_STORE = Symbol('WORKER_READ_STORE');
