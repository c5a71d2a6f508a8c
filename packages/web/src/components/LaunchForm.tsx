import { useState, type SubmitEvent } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Instance, LaunchBody, Offer, Requirement } from '../api/types.js';
import { money, randomKey } from '../lib/format.js';
import { useSession } from '../session.js';
import { ErrorNote } from './ErrorNote.js';
import { toRule, type RuleDraft } from '../lib/firewall.js';
import { FirewallEditor } from './FirewallEditor.js';
import {
  NO_REQUIREMENT,
  RequirementFields,
  toRequirement,
  type RequirementDraft,
} from './RequirementFields.js';
import { SshKeyPicker } from './SshKeyPicker.js';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** The body for POST /v1/instances, or the reason the form is not ready. */
function body(
  offer: Offer | null,
  requirement: RequirementDraft,
  name: string,
  key: string | null,
  userData: string,
  rules: readonly RuleDraft[],
): LaunchBody | string {
  if (!NAME.test(name)) {
    return 'The name takes 1-63 of a-z, 0-9 and "-", and starts with a letter (e.g. train-1).';
  }
  if (key === null) return 'Pick an SSH key, or add one, to reach the instance.';
  const ingress = [];
  for (const draft of rules) {
    const rule = toRule(draft);
    if (typeof rule === 'string') return `Firewall: ${rule}.`;
    ingress.push(rule);
  }
  let target: { offerId: string } | { requirement: Requirement };
  if (offer) target = { offerId: offer.id };
  else {
    const wanted = toRequirement(requirement);
    if (typeof wanted === 'string') return wanted;
    target = { requirement: wanted };
  }
  return {
    ...target,
    name,
    sshKeyIds: [key],
    ...(userData.trim() ? { userData } : {}),
    ...(ingress.length > 0 ? { firewallRules: { ingress, egress: [] } } : {}),
  };
}

export function LaunchForm({
  offer,
  onLaunched,
}: {
  offer: Offer | null;
  onLaunched: (instance: Instance) => void;
}) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [userData, setUserData] = useState('');
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [requirement, setRequirement] = useState<RequirementDraft>(NO_REQUIREMENT);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const launch = body(offer, requirement, name.trim(), key, userData, rules);
    if (typeof launch === 'string') {
      setError(launch);
      return;
    }
    setBusy(true);
    setError(null);
    ok(
      api.POST('/v1/instances', {
        body: launch,
        params: { header: { 'idempotency-key': randomKey() } },
      }),
    ).then(
      (instance) => {
        onLaunched(instance);
      },
      (err: unknown) => {
        setBusy(false);
        setError(messageOf(err));
      },
    );
  };

  return (
    <form className="launch" onSubmit={submit} aria-label="Launch an instance">
      {offer ? (
        <p className="offer-summary">
          <code>{offer.type}</code> · {offer.gpu.count} × {offer.gpu.name ?? 'no GPU'} ·{' '}
          {offer.region} · {offer.provider} · {money(offer.price.perHour, offer.price.currency)} / h
        </p>
      ) : (
        <RequirementFields draft={requirement} onChange={setRequirement} />
      )}
      <label>
        Name
        <input
          name="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
          placeholder="train-1"
          autoComplete="off"
          required
        />
      </label>
      <SshKeyPicker selected={key} onSelect={setKey} />
      <label>
        User data (optional; a script cloud-init runs at first boot, at most 16 KiB)
        <textarea
          name="userData"
          rows={4}
          spellCheck={false}
          value={userData}
          onChange={(e) => {
            setUserData(e.target.value);
          }}
          placeholder={'#!/bin/sh\necho hello'}
        />
      </label>
      <FirewallEditor rules={rules} onChange={setRules} />
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Launching…' : 'Launch'}
      </button>
    </form>
  );
}
