/**
 * @rendezvous/test-support — helpers shared by tests and benchmarks (a seeded PRNG; CPU time
 * from /proc; a benchmark's database created afresh). Declared as a devDependency only: production code never imports it.
 */
export { mulberry32 } from './prng.ts';
export { postgresCpuMs, processCpuMs, processesCpuMs } from './process-cpu.ts';
export { recreateBenchDatabase } from './bench-database.ts';
