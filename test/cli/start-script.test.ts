import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The benches start the server as `npm start` does; a flag changed in one place only would make them measure
 *  something nobody runs (ADR 0014). */
describe('npm start and the benches run the server alike', () => {
  it('passes the benches’ Node flags to `separ serve` in the start script', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const { SERVE_NODE_FLAGS, serveArgv } = (await import(
      new URL('../../bench/serve-args.mjs', import.meta.url).href
    )) as {
      SERVE_NODE_FLAGS: string[];
      serveArgv: (bin: string, extra?: string[]) => string[];
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
