import type { paths } from './schema.js';

/** Shapes the dashboard uses, all derived from the generated OpenAPI types. */

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends Record<200, infer A>
    ? Json<A>
    : R extends Record<201, infer C>
      ? Json<C>
      : never
  : never;

export type OffersPage = Ok<'/v1/offers', 'get'>;
export type Offer = OffersPage['offers'][number];
export type OfferQuery = NonNullable<paths['/v1/offers']['get']['parameters']['query']>;
export type Change = Ok<'/v1/catalog/changes', 'get'>['changes'][number];
export type Credential = Ok<'/v1/credentials', 'get'>['credentials'][number];
export type Me = Ok<'/v1/users/me', 'get'>;
export type SshKey = Ok<'/v1/users/me/ssh-keys', 'get'>['keys'][number];
export type Instance = Ok<'/v1/instances/{id}', 'get'>;
export type InstanceAction = Instance['actions'][number];
export type InstanceEvent = Ok<'/v1/instances/{id}/events', 'get'>['events'][number];
export type LaunchBody =
  paths['/v1/instances']['post']['requestBody']['content']['application/json'];
export type FirewallRule = NonNullable<NonNullable<LaunchBody['firewallRules']>['ingress']>[number];
export type Scorecard = Ok<'/v1/providers/scorecards', 'get'>['scorecards'][number];
export type ScoreWindow = Scorecard['windows']['hour'];
export type Requirement = NonNullable<LaunchBody['requirement']>;
export type OfferRegion = Ok<'/v1/catalog/regions', 'get'>['regions'][number];
