import { eventKey, reconcileEvents, type RendezvousEvent } from '@rendezvous/detection';
import type { AlertRepository, AlertType, AlertWrite, BehaviourAlertWrite } from '@rendezvous/db';

export interface PersistRun {
  dataVersion: number;
  from: Date;
  to: Date;
  /** Only alerts between these vessels (a bbox run). */
  mmsis?: readonly number[] | undefined;
  /** Only alerts of this profile (a profile run). */
  profile?: string | undefined;
}

/**
 * Persist: reconcile what the run computed with what is stored and write it, as one transaction
 * holding the pairs it writes, and only for pairs no run on newer data has written since this
 * run's data version was taken (alerts.reconcile).
 */
export function createPersistStage(deps: { alerts: Pick<AlertRepository, 'reconcile'> }) {
  return async function persist(
    run: PersistRun,
    fresh: readonly RendezvousEvent[],
    writes: readonly AlertWrite[],
    owned: readonly { type: Exclude<AlertType, 'rendezvous'>; writes: readonly BehaviourAlertWrite[] }[] = [],
  ) {
    const writeByKey = new Map(writes.map((w) => [w.key, w]));
    return deps.alerts.reconcile({
      ...run,
      owned,
      pairs: fresh.map((e) => [e.a, e.b] as const),
      plan: (stored, claimed) => {
        const plan = reconcileEvents(
          stored.map((s) => s.event),
          fresh.filter((e) => claimed(e.a, e.b)),
        );
        return {
          upserts: [...plan.create, ...plan.update, ...plan.unchanged].map((e) => writeByKey.get(eventKey(e))!),
          retracts: plan.retract.map((r) => ({
            key: eventKey(r.event),
            replacedBy: r.replacedBy,
            reason: r.replacedBy ? `superseded by ${r.replacedBy} (more data moved or merged the meeting)` : 'no longer supported by the data',
          })),
        };
      },
    });
  };
}
export type PersistStage = ReturnType<typeof createPersistStage>;
