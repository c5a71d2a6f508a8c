import { useState } from 'react';
import type { Instance } from '../api/types.js';
import { LaunchForm } from '../components/LaunchForm.js';
import { LaunchProgress } from '../components/LaunchProgress.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../session.js';

export function Launch() {
  const { offer } = useSession();
  const [launched, setLaunched] = useState<Instance | null>(null);
  return (
    <div className="launch-page">
      <h1>Launch</h1>
      {launched ? (
        <LaunchProgress launched={launched} />
      ) : (
        <>
          {!offer && (
            <p className="hint">
              Describe what you need below, or pick an offer in the{' '}
              <a
                href="/catalog"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('/catalog');
                }}
              >
                catalog
              </a>{' '}
              and press its Launch button.
            </p>
          )}
          <LaunchForm key={offer?.id ?? 'requirement'} offer={offer} onLaunched={setLaunched} />
        </>
      )}
    </div>
  );
}
