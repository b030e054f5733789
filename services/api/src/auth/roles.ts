import type { ApiRole } from '@rendezvous/db';

/**
 * Each role includes the ones below it: viewer reads; analyst also triages alerts and manages
 * suspects; admin also imports watchlists, starts reprocessing and manages tokens.
 */
const RANK: Record<ApiRole, number> = { viewer: 0, analyst: 1, admin: 2 };

export const roleSatisfies = (held: ApiRole, needed: ApiRole): boolean => RANK[held] >= RANK[needed];
