import { GPU_MODEL_NAMES } from '../api/gpu-models.js';
import type { Requirement } from '../api/types.js';

/** What to launch when no offer is picked: the API finds the cheapest match and fails over. */
export interface RequirementDraft {
  readonly gpu: string;
  readonly count: string;
  readonly minGpuMemoryGiB: string;
  readonly maxPricePerHour: string;
  readonly regions: string;
  readonly providers: string;
}

export const NO_REQUIREMENT: RequirementDraft = {
  gpu: '',
  count: '1',
  minGpuMemoryGiB: '',
  maxPricePerHour: '',
  regions: '',
  providers: '',
};

function list(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The API's requirement for a draft, or the reason it is not one. */
export function toRequirement(draft: RequirementDraft): Requirement | string {
  if (!draft.gpu) return 'Pick a GPU model.';
  const count = Number(draft.count);
  const memory = Number(draft.minGpuMemoryGiB);
  const price = draft.maxPricePerHour.trim();
  if (draft.count.trim() && !(Number.isInteger(count) && count > 0)) {
    return 'The GPU count is a whole number, 1 or more.';
  }
  if (price && !/^\d+(?:\.\d{1,6})?$/.test(price))
    return 'The maximum price is a number such as 2.5.';
  const regions = list(draft.regions);
  const providers = list(draft.providers);
  return {
    gpu: draft.gpu,
    ...(draft.count.trim() ? { count } : {}),
    ...(draft.minGpuMemoryGiB.trim() && memory > 0 ? { minGpuMemoryGiB: memory } : {}),
    ...(price ? { maxPricePerHour: price } : {}),
    ...(regions.length > 0 ? { regions } : {}),
    ...(providers.length > 0 ? { providers } : {}),
  };
}

export function RequirementFields({
  draft,
  onChange,
}: {
  draft: RequirementDraft;
  onChange: (draft: RequirementDraft) => void;
}) {
  const set = (key: keyof RequirementDraft) => (event: { target: { value: string } }) => {
    onChange({ ...draft, [key]: event.target.value });
  };
  return (
    <fieldset className="requirement">
      <legend>What you need</legend>
      <p className="hint">
        The cheapest available offer that meets this is launched; on a capacity or quota error the
        next one is tried.
      </p>
      <label>
        GPU model
        <select name="reqGpu" value={draft.gpu} onChange={set('gpu')} required>
          <option value="">choose…</option>
          {GPU_MODEL_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        GPU count
        <input name="reqCount" inputMode="numeric" value={draft.count} onChange={set('count')} />
      </label>
      <label>
        Min GPU memory (GiB)
        <input
          name="reqMemory"
          inputMode="numeric"
          value={draft.minGpuMemoryGiB}
          onChange={set('minGpuMemoryGiB')}
        />
      </label>
      <label>
        Max price / h
        <input
          name="reqPrice"
          inputMode="decimal"
          value={draft.maxPricePerHour}
          onChange={set('maxPricePerHour')}
        />
      </label>
      <label>
        Regions (any if empty)
        <input name="reqRegions" value={draft.regions} onChange={set('regions')} />
      </label>
      <label>
        Providers (any if empty)
        <input name="reqProviders" value={draft.providers} onChange={set('providers')} />
      </label>
    </fieldset>
  );
}
