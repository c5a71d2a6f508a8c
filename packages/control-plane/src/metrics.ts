import { count, isNull } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/open.js';
import { instances, offers, orphans } from './db/schema.js';

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
