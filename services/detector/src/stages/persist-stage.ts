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

export type PersistOutcome = Awaited<ReturnType<AlertRepository['reconcile']>>;

/**
 * Persist: reconcile what the run computed with what is stored and write it, as one transaction
 * holding the pairs it writes, and only for pairs no run on newer data has written since this
 * run's data version was taken (alerts.reconcile).
 *
 * Rendezvous and the behaviours owned by their start (gaps, loitering, dark rendezvous) are
 * persisted by separate calls, each its own transaction, so the window detector can write them
 * side by side: the alerts each reconciles and retracts are disjoint (rendezvous alerts of the
 * window's pairs; the other types by the window holding their start), and both claim pairs in
 * ascending order, so where they share a pair (a dark rendezvous and a rendezvous of the same two
 * vessels) the second waits for the first and no deadlock can form.
 */
export function createPersistStage(deps: { alerts: Pick<AlertRepository, 'reconcile'> }) {
  return {
    async rendezvous(run: PersistRun, fresh: readonly RendezvousEvent[], writes: readonly AlertWrite[]): Promise<PersistOutcome> {
      const writeByKey = new Map(writes.map((w) => [w.key, w]));
      return deps.alerts.reconcile({
        ...run,
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
    },

    /** Alerts of behaviours owned by the window holding their start: written, and the stored ones of each type the run did not compute retracted. */
    async owned(run: PersistRun, owned: readonly { type: Exclude<AlertType, 'rendezvous'>; writes: readonly BehaviourAlertWrite[] }[]): Promise<PersistOutcome> {
      return deps.alerts.reconcile({ ...run, pairs: [], owned });
    },
  };
}
export type PersistStage = ReturnType<typeof createPersistStage>;
