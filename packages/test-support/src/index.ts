/**
 * @rendezvous/test-support — helpers shared by tests and benchmarks (pure). Declared as a
 * devDependency only: production code never imports it.
 */
export { mulberry32 } from './prng.ts';
