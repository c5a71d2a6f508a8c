import { loadSpec } from '@cloudplane/provider-testkit';
import type { OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Shadeform's published spec, for the fake (test/fake/shadeform-fake.ts): every answer it sends
 * is checked against the spec before it leaves, and every request body against the spec's
 * request schema, so the fake refuses what Shadeform would refuse. The spec declares only 200
 * answers, so an undeclared status must at least be an error (4xx/5xx); its body is whatever the
 * test chose. Test code only.
 */

export const SHADEFORM_SPEC_PATH = new URL('../../openapi.yaml', import.meta.url);

export const shadeformSpec: OpenApiSpec = loadSpec(SHADEFORM_SPEC_PATH);
