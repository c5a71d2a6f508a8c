import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiClient } from '../src/api-client.js';
import { defaultDataDir } from '../src/state-dir.js';

describe("serve's default data directory", () => {
  const fallback = join(homedir(), '.local', 'state', 'cloudplane');

  it('is $CLOUDPLANE_DATA_DIR, else under an absolute $XDG_STATE_HOME', () => {
    assert.equal(
      defaultDataDir({ CLOUDPLANE_DATA_DIR: '/srv/cp', XDG_STATE_HOME: '/x' }),
      '/srv/cp',
    );
    assert.equal(defaultDataDir({ XDG_STATE_HOME: '/var/state' }), '/var/state/cloudplane');
    assert.equal(defaultDataDir({}), fallback);
  });

  it('ignores an empty or relative $XDG_STATE_HOME, as the XDG spec says', () => {
    assert.equal(defaultDataDir({ XDG_STATE_HOME: '' }), fallback);
    assert.equal(defaultDataDir({ XDG_STATE_HOME: 'state' }), fallback);
  });
});

describe("the CLI's control plane URL", () => {
  it('refuses one without a scheme, naming the flag, the variable and a good form', () => {
    assert.throws(
      () => new ApiClient({ url: 'localhost:8430', token: 'cpt_x' }),
      /url: not an http\(s\) URL: pass --url or set CLOUDPLANE_URL to one such as http:\/\/127\.0\.0\.1:8430/,
    );
  });
});
