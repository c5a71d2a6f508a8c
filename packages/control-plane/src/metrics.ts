import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/open.js';
import { instances, offers, orphans } from './db/schema.js';
import { scorecards } from './scorecards.js';

/**
 * Prometheus metrics of one control plane (its own registry, so several can live in a test).
 * Offer counts are read from the database at scrape time, so every node reports the truth.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly syncDuration = new Histogram({
    name: 'cloudplane_catalog_sync_duration_seconds',
    help: 'Wall time of catalog syncs, by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  readonly syncErrors = new Counter({
    name: 'cloudplane_catalog_sync_errors_total',
    help: 'Catalog syncs that failed or were refused as implausible, by provider and reason code',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });

  readonly rowsWritten = new Counter({
    name: 'cloudplane_catalog_rows_written_total',
    help: 'Offer rows inserted or updated by catalog syncs, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly instanceSyncs = new Counter({
    name: 'cloudplane_instance_syncs_total',
    help: 'Instance syncs, by provider and outcome (ok, failed)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly instanceRowsWritten = new Counter({
    name: 'cloudplane_instance_rows_written_total',
    help: 'Instance rows the instance syncer changed, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly capacityErrors = new Counter({
    name: 'cloudplane_capacity_errors_total',
    help: 'Launches refused for capacity (INSUFFICIENT_CAPACITY), by provider and GPU',
    labelNames: ['provider', 'gpu'] as const,
    registers: [this.registry],
  });

  readonly orphansTerminated = new Counter({
    name: 'cloudplane_orphans_terminated_total',
    help: "Orphans terminated by their credential's orphan policy, by provider",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly straysTerminated = new Counter({
    name: 'cloudplane_strays_terminated_total',
    help: "Instances under a row's refId that the row does not hold (a late or second launch), terminated by the syncer, by provider",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  constructor(db: Db) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cloudplane_' });
    new Gauge({
      name: 'cloudplane_offers',
      help: 'Offers in the catalog, by provider and availability (gone types excluded)',
      labelNames: ['provider', 'available'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db
          .select({ provider: offers.provider, available: offers.available, n: count() })
          .from(offers)
          .where(isNull(offers.goneAt))
          .groupBy(offers.provider, offers.available);
        for (const row of rows) {
          this.set({ provider: row.provider, available: String(row.available) }, row.n);
        }
      },
    });
    new Gauge({
      name: 'cloudplane_instances',
      help: 'Instances that are not terminated, by provider and state',
      labelNames: ['provider', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db
          .select({ provider: instances.provider, state: instances.state, n: count() })
          .from(instances)
          .where(isNull(instances.terminatedAt))
          .groupBy(instances.provider, instances.state);
        for (const row of rows) this.set({ provider: row.provider, state: row.state }, row.n);
      },
    });
    new Gauge({
      name: 'cloudplane_provider_score',
      help: 'Provider scorecards by credential, window (hour, day) and measure: catalog_sync_success, create_success, capacity_error (ratios), time_to_running_p50 and _p95 (seconds)',
      labelNames: ['credential', 'window', 'measure'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const card of await scorecards(db)) {
          for (const window of ['hour', 'day'] as const) {
            const w = card.windows[window];
            const measures: [string, number | null][] = [
              ['catalog_sync_success', w.catalogSyncSuccessRate],
              ['create_success', w.createSuccessRate],
              ['capacity_error', w.capacityErrorRate],
              ['time_to_running_p50', w.timeToRunningSeconds.p50],
              ['time_to_running_p95', w.timeToRunningSeconds.p95],
            ];
            for (const [measure, value] of measures) {
              if (value !== null) this.set({ credential: card.name, window, measure }, value);
            }
          }
        }
      },
    });
    new Gauge({
      name: 'cloudplane_terminates_failing',
      help: "Instances whose terminate the provider keeps failing or refusing (still retried; see each one's lastError), by provider",
      labelNames: ['provider'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db
          .select({ provider: instances.provider, n: count() })
          .from(instances)
          .where(
            and(
              eq(instances.pendingAction, 'terminate'),
              isNotNull(instances.lastErrorCode),
              isNull(instances.terminatedAt),
            ),
          )
          .groupBy(instances.provider);
        for (const row of rows) this.set({ provider: row.provider }, row.n);
      },
    });
    new Gauge({
      name: 'cloudplane_orphan_instances',
      help: "Instances a provider reports with a credential's correlation data but no record here",
      labelNames: ['credential'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db
          .select({ credential: orphans.credentialId, n: count() })
          .from(orphans)
          .groupBy(orphans.credentialId);
        for (const row of rows) this.set({ credential: row.credential }, row.n);
      },
    });
  }
}
