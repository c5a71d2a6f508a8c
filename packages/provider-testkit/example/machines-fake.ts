import { randomBytes } from 'node:crypto';
import {
  exhaustCapacity,
  HttpAnswer,
  loadSpec,
  SpecCheckedFake,
  type InjectedFault,
  type ReceivedRequest,
} from '../src/index.js';

/**
 * The smallest useful fake on the testkit, for its README and tests: machines that launch while
 * a size has capacity, every answer checked against example/openapi.yaml, bearer auth, faults
 * with the cloud's error body. A real adapter's fake has the same parts, only more routes.
 */

const spec = loadSpec(new URL('openapi.yaml', import.meta.url));

export interface Fault extends InjectedFault {
  readonly message?: string;
}

interface Machine {
  readonly id: string;
  readonly size: string;
}

const error = (status: number, message: string) => new HttpAnswer(status, { message });

export class MachinesFake extends SpecCheckedFake<Fault> {
  readonly machines = new Map<string, Machine>();
  /** Launches left per size, in one region: what the capacity probe empties. */
  readonly offers = [{ capacity: { small: 2, large: 1 } as Record<string, number> }];
  /** A test may set this to make the fake send an answer the spec forbids. */
  breakAnswers = false;

  private constructor() {
    super(
      `key_${randomBytes(8).toString('hex')}`,
      '/v2',
      ['GET /machines', 'POST /machines', 'GET /machines/{id}'],
      {
        spec,
        errorSchema: 'Error',
      },
    );
  }

  static async start(): Promise<MachinesFake> {
    const fake = new MachinesFake();
    await fake.listen();
    return fake;
  }

  exhaustCapacity(): () => void {
    return exhaustCapacity(this.offers);
  }

  protected authorized(request: ReceivedRequest): boolean {
    return request.headers.authorization === `Bearer ${this.apiKey}`;
  }

  protected notFound(): HttpAnswer {
    return error(404, 'no such route');
  }

  protected unauthorized(): HttpAnswer {
    return error(401, 'bad key');
  }

  protected faultBody(fault: Fault): unknown {
    return { message: fault.message ?? 'internal error' };
  }

  protected handle(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
    switch (route) {
      case 'GET /machines':
        return new HttpAnswer(
          200,
          [...this.machines.values()].map((m) => this.wire(m)),
        );
      case 'GET /machines/{id}': {
        const machine = this.machines.get(params.id ?? '');
        if (!machine) throw error(404, 'no such machine');
        return new HttpAnswer(200, this.wire(machine));
      }
      case 'POST /machines':
        return this.launch(body);
      default:
        throw this.notFound();
    }
  }

  private launch(body: unknown): HttpAnswer {
    const problems = this.requestProblems('MachineRequest', body);
    if (problems.length > 0) throw error(400, problems.join('; '));
    const { size } = body as { size: string };
    const capacity = this.offers[0]?.capacity ?? {};
    if ((capacity[size] ?? 0) <= 0) throw error(409, `no ${size} left`);
    capacity[size] = (capacity[size] ?? 0) - 1;
    const machine = { id: randomBytes(4).toString('hex'), size };
    this.machines.set(machine.id, machine);
    return new HttpAnswer(201, this.wire(machine));
  }

  private wire(machine: Machine): Record<string, unknown> {
    const status = this.breakAnswers ? 'exploded' : 'running';
    return { id: machine.id, size: machine.size, status };
  }
}
