import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';

/** A devcloud in this process, with short timings, for `cloudplane conformance --devcloud`. */
export async function startLocalDevcloud(): Promise<Devcloud> {
  return startDevcloud({
    timings: { bootStepMs: 100, stopMs: 100, startMs: 100, rebootMs: 100, terminateMs: 100 },
  });
}
