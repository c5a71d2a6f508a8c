import { NEW_RULE, type RuleDraft } from '../lib/firewall.js';

export function FirewallEditor({
  rules,
  onChange,
}: {
  rules: readonly RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
}) {
  const update = (i: number, patch: Partial<RuleDraft>) => {
    onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  return (
    <fieldset className="firewall">
      <legend>Firewall: inbound rules</legend>
      <p className="hint">
        SSH (22) is always open. Everything else inbound is closed unless listed.
      </p>
      {rules.map((rule, i) => (
        <div className="rule" key={i}>
          <label>
            Protocol
            <select
              value={rule.protocol}
              onChange={(e) => {
                update(i, { protocol: e.target.value as RuleDraft['protocol'] });
              }}
            >
              <option value="tcp">tcp</option>
              <option value="udp">udp</option>
            </select>
          </label>
          <label>
            Ports
            <input
              value={rule.ports}
              placeholder="8888 or 8000-8100"
              onChange={(e) => {
                update(i, { ports: e.target.value });
              }}
            />
          </label>
          <label>
            From (CIDRs)
            <input
              value={rule.cidrs}
              onChange={(e) => {
                update(i, { cidrs: e.target.value });
              }}
            />
          </label>
          <button
            type="button"
            className="small secondary"
            aria-label={`Remove rule ${String(i + 1)}`}
            onClick={() => {
              onChange(rules.filter((_, j) => j !== i));
            }}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="small secondary"
        onClick={() => {
          onChange([...rules, NEW_RULE]);
        }}
      >
        Add a rule
      </button>
    </fieldset>
  );
}
