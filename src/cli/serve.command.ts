import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { createRuntime, buildHttpApp, KEY_REFRESH_MS } from '../runtime/index.js';
import { ensureTlsMaterial, tlsServerOptions } from '../http/index.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Separ server (HTTPS on SEPAR_HOST:SEPAR_PORT; migrations applied first)')
    .action(async () => {
      const config = loadConfig();
      const rt = await createRuntime(config, { migrate: true });
      const log = rt.logger;
      let https;
      if (!config.insecureHttp) {
        const tls = await ensureTlsMaterial(config.dataDir, config.tlsCert, config.tlsKey);
        if (tls.generated) log.warn({ certificate: tls.certPath }, 'generated a self-signed certificate for localhost');
        https = tlsServerOptions(tls);
      } else {
        log.warn('SEPAR_INSECURE_HTTP=1: serving plain HTTP on a loopback address (development only)');
      }
      const app = await buildHttpApp(rt, https);
      // Keys created by another process (a rotation run from the CLI) are picked up within seconds.
      const refresh = setInterval(() => {
        rt.crypto.hierarchy.refresh().catch((err: unknown) => log.error({ err }, 'key refresh failed'));
      }, KEY_REFRESH_MS);
      refresh.unref();
      // A rotation interrupted by a crash continues in the background.
      void rt.rotation
        .resume()
        .then((r) => r && log.info({ rotation: r.id }, 'key rotation finished'))
        .catch((err: unknown) => log.error({ err }, 'key rotation failed; run `separ keys rotate --resume`'));
      let closing = false;
      const shutdown = (signal: string): void => {
        if (closing) return;
        closing = true;
        log.info({ signal }, 'shutting down');
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        clearInterval(refresh);
        void app
          .close()
          .then(() => rt.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const scheme = config.insecureHttp ? 'http' : 'https';
      const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
      process.stdout.write(
        `Separ is serving ${scheme}://${hostForUrl}:${port} (database: ${rt.db.dialect}, data: ${config.dataDir})\n`,
      );
      if ((await rt.identity.users.count()) === 0) {
        process.stdout.write(
          'No users yet. Create the first administrator (the password is read from standard input, never from arguments):\n' +
            "  printf '%s' 'a long unique passphrase' | npx separ init --email you@example.com --name 'Your Name' --password-stdin\n",
        );
      }
    });
}
