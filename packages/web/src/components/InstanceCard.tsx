import { useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Instance, InstanceAction } from '../api/types.js';
import { money, sshCommand, when } from '../lib/format.js';
import { useSession } from '../session.js';
import { CopyButton } from './CopyButton.js';
import { ErrorNote } from './ErrorNote.js';
import { InstanceState } from './InstanceState.js';
import { Timeline } from './Timeline.js';
import { useInstance } from './useInstance.js';
import { useTimeline } from './useTimeline.js';

const LABEL: Record<InstanceAction, string> = {
  start: 'Start',
  stop: 'Stop',
  reboot: 'Reboot',
  terminate: 'Terminate',
};

function Events({ id, name }: { id: string; name: string }) {
  const { events, error } = useTimeline(id);
  return (
    <>
      <ErrorNote error={error} />
      <Timeline events={events} label={`Events of ${name}`} />
    </>
  );
}

/** One instance: live state, the actions it allows now, its SSH command and its events. */
export function InstanceCard({ initial }: { initial: Instance }) {
  const { api } = useSession();
  const { instance, error } = useInstance(initial);
  const [actionError, setActionError] = useState<string | null>(null);
  const [sent, setSent] = useState<InstanceAction | null>(null);
  const [open, setOpen] = useState(false);

  const act = (action: InstanceAction) => {
    if (
      action === 'terminate' &&
      !window.confirm(`Terminate ${instance.name}? Its disk is lost.`)
    ) {
      return;
    }
    setSent(action);
    setActionError(null);
    ok(
      api.POST('/v1/instances/{id}/{action}', { params: { path: { id: instance.id, action } } }),
    ).then(
      () => {
        setSent(null);
      },
      (err: unknown) => {
        setSent(null);
        setActionError(messageOf(err));
      },
    );
  };

  return (
    <article className="instance" aria-labelledby={`name-${instance.id}`} data-name={instance.name}>
      <header>
        <h2 id={`name-${instance.id}`}>{instance.name}</h2>
        <InstanceState instance={instance} />
      </header>
      <p className="muted">
        {instance.gpu.count} × {instance.gpu.name ?? 'no GPU'} · {instance.region} ·{' '}
        {instance.provider} · <code>{instance.type}</code>
        {instance.price && ` · ${money(instance.price.perHour, instance.price.currency)} / h`} ·
        launched {when(instance.launchedAt ?? instance.createdAt)}
      </p>
      {instance.lastError && (
        <p className="error" role="alert">
          {instance.lastError.message} ({instance.lastError.code})
        </p>
      )}
      {instance.state === 'running' && !instance.ssh && (
        <p className="muted">No SSH address yet: the provider has not reported one.</p>
      )}
      {instance.ssh && instance.state === 'running' && (
        <p className="ssh">
          <code>{sshCommand(instance.ssh)}</code>
          <CopyButton
            text={sshCommand(instance.ssh)}
            label={`Copy the SSH command of ${instance.name}`}
          />
        </p>
      )}
      <div className="actions">
        {instance.actions.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'terminate' ? 'small danger' : 'small secondary'}
            disabled={sent !== null}
            onClick={() => {
              act(action);
            }}
          >
            {LABEL[action]}
          </button>
        ))}
        <button
          type="button"
          className="small secondary"
          aria-expanded={open}
          onClick={() => {
            setOpen((o) => !o);
          }}
        >
          {open ? 'Hide events' : 'Events'}
        </button>
      </div>
      <ErrorNote error={actionError ?? error} />
      {open && <Events id={instance.id} name={instance.name} />}
    </article>
  );
}
