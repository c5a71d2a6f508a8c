import { isCloudError, sleep, type CloudClient } from '@cloudplane/sdk';

/**
 * Everything the suite launched, registered the moment a cloud id exists, and terminated at the
 * end whatever happened (failure, timeout, abort). What cannot be terminated is reported.
 */
export class Cleanup {
  private readonly ids = new Set<string>();

  register(cloudId: string): void {
    this.ids.add(cloudId);
  }

  get registered(): readonly string[] {
    return [...this.ids];
  }

  /** Terminates every registered instance, retrying; returns the ids that could not be. */
  async run(client: CloudClient, attempts = 4): Promise<string[]> {
    const leaked: string[] = [];
    for (const id of this.ids) {
      let done = false;
      for (let attempt = 1; attempt <= attempts && !done; attempt++) {
        try {
          await client.terminateInstance(id);
          done = true;
        } catch (err) {
          done = isCloudError(err, 'INSTANCE_NOT_FOUND') || (await isGone(client, id));
          if (!done && attempt < attempts) await sleep(500 * 2 ** attempt);
        }
      }
      if (!done) leaked.push(id);
    }
    return leaked;
  }
}

/** A terminate that errored may still have worked (or have been done before): ask. */
async function isGone(client: CloudClient, id: string): Promise<boolean> {
  try {
    const instance = await client.getInstance(id);
    return (
      instance.status.lifecycle === 'terminated' || instance.status.lifecycle === 'terminating'
    );
  } catch (err) {
    return isCloudError(err, 'INSTANCE_NOT_FOUND');
  }
}
