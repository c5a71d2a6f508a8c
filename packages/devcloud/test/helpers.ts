import { startDevcloud, type Devcloud, type DevcloudOptions } from '../src/index.js';

export const FAST = {
  bootStepMs: 20,
  stopMs: 20,
  startMs: 20,
  rebootMs: 20,
  terminateMs: 20,
  terminatedRetentionMs: 60_000,
};

export async function withCloud(
  options: DevcloudOptions,
  body: (cloud: Devcloud, api: Api) => Promise<void>,
): Promise<void> {
  const cloud = await startDevcloud({ timings: FAST, ...options });
  try {
    await body(cloud, api(cloud));
  } finally {
    await cloud.close();
  }
}

export interface Api {
  readonly call: (
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ) => Promise<{ status: number; json: unknown; text: string; headers: Headers }>;
  readonly admin: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; json: unknown }>;
}

export function api(cloud: Devcloud): Api {
  const call: Api['call'] = async (method, path, body, key = cloud.apiKey) => {
    const response = await fetch(`${cloud.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };
  return {
    call,
    admin: async (method, path, body) => {
      const r = await call(method, path, body, cloud.adminKey);
      return { status: r.status, json: r.json };
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
