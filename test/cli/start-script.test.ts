import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS, serveArgv } from '../../scripts/serve-args.mjs';

/** The benches and browser tests start the server as `npm start` does; a flag changed in one place only would make
 *  them run something nobody runs (ADR 0014). */
describe('npm start and the servers the benches start run alike', () => {
  it('passes the shared Node flags to `separ serve` in the start script', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(SERVE_NODE_FLAGS.length).toBeGreaterThan(0);
    const start = pkg.scripts.start ?? '';
    const serve = / node ((?:--[\w-]+(?:=\S+)? )*)bin\/separ\.js serve$/.exec(start);
    expect(serve, `start script: ${start}`).not.toBeNull();
    expect((serve?.[1] ?? '').trim().split(' ')).toEqual(SERVE_NODE_FLAGS);
    expect(serveArgv('bin/separ.js', ['--cpu-prof'])).toEqual([
      ...SERVE_NODE_FLAGS,
      '--cpu-prof',
      'bin/separ.js',
      'serve',
    ]);
  });
});
