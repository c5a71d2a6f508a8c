import type { Offer } from '../api/types.js';
import { clock, money, perGpu } from '../lib/format.js';

function Availability({ offer }: { offer: Offer }) {
  if (offer.capacity) {
    return (
      <span className="badge warn" title={offer.capacity.reason}>
        unavailable until {clock(offer.capacity.unavailableUntil)} ({offer.capacity.scope})
      </span>
    );
  }
  if (offer.goneAt) return <span className="badge bad">gone</span>;
  return offer.available ? (
    <span className="badge good">available</span>
  ) : (
    <span className="badge bad">sold out</span>
  );
}

function gpuText(offer: Offer): string {
  const name = offer.gpu.name ?? 'no GPU';
  const memory = offer.gpu.memoryGiB === null ? '' : ` ${String(offer.gpu.memoryGiB)} GiB`;
  return `${String(offer.gpu.count)} × ${name}${memory}`;
}

export function OfferTable({
  offers,
  onLaunch,
}: {
  offers: readonly Offer[];
  onLaunch: (offer: Offer) => void;
}) {
  if (offers.length === 0) return <p className="muted">No offer matches these filters.</p>;
  return (
    <table className="offers stack">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">GPUs</th>
          <th scope="col">Region</th>
          <th scope="col">Provider</th>
          <th scope="col" className="num">
            Price / h
          </th>
          <th scope="col" className="num">
            Per GPU / h
          </th>
          <th scope="col">Availability</th>
          <th scope="col">
            <span className="sr-only">Launch</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {offers.map((offer) => (
          <tr key={offer.id} data-offer={offer.id}>
            <td data-label="Type">
              <code>{offer.type}</code>
            </td>
            <td data-label="GPUs">{gpuText(offer)}</td>
            <td data-label="Region">{offer.region}</td>
            <td data-label="Provider">{offer.provider}</td>
            <td data-label="Price / h" className="num">
              {money(offer.price.perHour, offer.price.currency)}
            </td>
            <td data-label="Per GPU / h" className="num">
              {money(perGpu(offer), offer.price.currency)}
            </td>
            <td data-label="Availability">
              <Availability offer={offer} />
            </td>
            <td>
              <button
                type="button"
                className="small"
                disabled={!offer.available}
                onClick={() => {
                  onLaunch(offer);
                }}
                aria-label={`Launch ${offer.type} in ${offer.region}`}
              >
                Launch
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
