import { useState, type SubmitEvent } from 'react';
import { GPU_MODEL_NAMES } from '../api/gpu-models.js';
import { NO_FILTERS, type Filters } from '../lib/filters.js';

export type Sort = 'price' | 'perGpu';

interface Props {
  readonly initial: Filters;
  readonly onApply: (filters: Filters) => void;
}

/** The catalog's filters; applied on submit (Enter in any field, or the button). */
export function CatalogFilters({ initial, onApply }: Props) {
  const [form, setForm] = useState<Filters>(initial);
  const set = (key: keyof Filters) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(form);
  };
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
      <label>
        Region
        <input name="region" value={form.region} onChange={set('region')} placeholder="any" />
      </label>
      <label>
        Provider
        <input name="provider" value={form.provider} onChange={set('provider')} placeholder="any" />
      </label>
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
