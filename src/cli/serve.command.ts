import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Separ server (HTTPS on SEPAR_HOST:SEPAR_PORT; migrations applied first)')
    .action(async () => {
      const config = loadConfig();
      // the server stack is loaded only when serving (keeps `separ --help` instant)
      const { createRuntime, buildHttpApp, KEY_REFRESH_MS } = await import('../runtime/index.js');
      const { ensureTlsMaterial, localCaTrustInstructions, tlsServerOptions } = await import('../http/index.js');
      const { ACCESS_JOBS_INTERVAL_MS } = await import('../security/access/review/access-review.jobs.js');
      const rt = await createRuntime(config, {
        migrate: true,
        backgroundCheckpoints: true,
        auditThread: true,
        maskRefresh: true,
      });
      const log = rt.logger;
      let https;
      if (!config.insecureHttp) {
        const tls = await ensureTlsMaterial(config.dataDir, config.tlsCert, config.tlsKey);
        if (tls.generated) log.warn({ certificate: tls.certPath }, 'generated a certificate for localhost (local CA)');
        if (tls.caGenerated && tls.caPath)
          process.stdout.write(`${localCaTrustInstructions(tls.caPath, config.publicUrl)}\n`);
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
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (err) {
        // Nothing serves (the port is taken, say): stop what started — the audit trail records its stop, its thread
        // and the database let go — so the process ends with the error instead of idling with the file open.
        clearInterval(refresh);
        await app.close().catch(() => undefined);
        await rt.close();
        throw err;
      }
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
      // Access jobs, hourly: access-review reminders and escalations; daily, disabling dormant accounts (PCI DSS 8.2.6).
      const accessJobs = setInterval(() => {
        rt.access.jobs
          .run()
          .then(({ summary }) => {
            if (Object.values(summary).some((n) => n > 0)) log.info(summary, 'access jobs ran');
          })
          .catch((err: unknown) => log.error({ err }, 'access jobs failed'));
      }, ACCESS_JOBS_INTERVAL_MS);
      accessJobs.unref();
    });
}
