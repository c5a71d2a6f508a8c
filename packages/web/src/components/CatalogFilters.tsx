import { useState, type SubmitEvent } from 'react';
import { GPU_MODEL_NAMES } from '../api/gpu-models.js';
import type { OfferRegion } from '../api/types.js';
import { NO_FILTERS, type Filters } from '../lib/filters.js';

interface Props {
  readonly initial: Filters;
  /** The providers and regions on offer (GET /v1/catalog/regions); null while loading. */
  readonly places: readonly OfferRegion[] | null;
  readonly onApply: (filters: Filters) => void;
}

/** Sorted distinct values, with `current` kept even when the data no longer has it. */
function choices(values: readonly string[], current: string): string[] {
  const set = new Set(values);
  if (current !== '') set.add(current);
  return [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A select of `values` with "any" first; a URL's value stays a choice even if it is gone. */
function Choice({
  label,
  name,
  value,
  values,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  values: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select
        name={name}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        <option value="">any</option>
        {choices(values, value).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The catalog's filters; applied on submit (Enter in any field, or the button). */
export function CatalogFilters({ initial, places, onApply }: Props) {
  const [form, setForm] = useState<Filters>(initial);
  const set = (key: keyof Filters) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(form);
  };
  const all = places ?? [];
  // Regions of the chosen provider, or of every provider.
  const regions = all
    .filter((p) => form.provider === '' || p.provider === form.provider)
    .map((p) => p.region);
  return (
    <form className="filters" onSubmit={submit} aria-label="Catalog filters">
      <label>
        GPU model
        <select name="gpu" value={form.gpu} onChange={set('gpu')}>
          <option value="">any</option>
          {GPU_MODEL_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Min GPUs
        <input
          name="minGpuCount"
          type="number"
          min={1}
          inputMode="numeric"
          value={form.minGpuCount}
          onChange={set('minGpuCount')}
        />
      </label>
      <label>
        Min GPU memory (GiB)
        <input
          name="minGpuMemoryGiB"
          type="number"
          min={1}
          inputMode="numeric"
          value={form.minGpuMemoryGiB}
          onChange={set('minGpuMemoryGiB')}
        />
      </label>
      <Choice
        label="Provider"
        name="provider"
        value={form.provider}
        values={all.map((p) => p.provider)}
        onChange={(provider) => {
          setForm((f) => ({ ...f, provider }));
        }}
      />
      <Choice
        label="Region"
        name="region"
        value={form.region}
        values={regions}
        onChange={(region) => {
          setForm((f) => ({ ...f, region }));
        }}
      />
      <label>
        Max price / h
        <input
          name="maxPrice"
          inputMode="decimal"
          pattern="\d+(\.\d{1,6})?"
          value={form.maxPrice}
          onChange={set('maxPrice')}
          placeholder="any"
        />
      </label>
      <label>
        Availability
        <select name="availability" value={form.availability} onChange={set('availability')}>
          <option value="available">available now</option>
          <option value="unavailable">sold out</option>
          <option value="any">any</option>
        </select>
      </label>
      <div className="filter-buttons">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setForm(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Reset
        </button>
      </div>
    </form>
  );
}
