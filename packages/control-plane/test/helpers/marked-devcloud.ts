import { provider as devcloud, type DevcloudCredential } from '@cloudplane/provider-devcloud';
import { defineProvider, type CloudClient, type Provider } from '@cloudplane/sdk';
import { FAST_POLL } from './plane.js';

/**
 * devcloud with a second way in, for a test that plays a part of the control plane beside the
 * plane's own (a second syncer, a removal, a dead node's launcher): clients made with
 * MARKED_FETCH see every instance,
 * and their list fails while `marked.list` is 'fail'; every other client (the plane's own) never
 * sees the instances in `marked.hidden`, so the plane cannot act on them first.
 */

export const MARKED_FETCH: typeof fetch = (input, init) => fetch(input, init);

export const marked = {
  list: 'all' as 'all' | 'fail',
  hidden: new Set<string>(),
  /** Runs once, as the next marked list is asked for (before it fails, when it is to). */
  beforeList: undefined as (() => Promise<void>) | undefined,
};

export const markedDevcloud = defineProvider<DevcloudCredential>({
  ...devcloud,
  pollIntervals: FAST_POLL,
  makeClient: (context) => {
    const inner = devcloud.makeClient(context);
    const isMarked = context.fetch === MARKED_FETCH;
    const client: CloudClient = Object.create(inner) as CloudClient;
    return Object.assign(client, {
      listInstances: async (args?: Parameters<CloudClient['listInstances']>[0]) => {
        if (isMarked) {
          const hook = marked.beforeList;
          marked.beforeList = undefined;
          await hook?.();
        }
        if (isMarked && marked.list === 'fail') throw new Error('the provider is down (test)');
        const all = await inner.listInstances(args);
        return isMarked ? all : all.filter((i) => !marked.hidden.has(i.cloudId));
      },
    });
  },
}) as Provider;
