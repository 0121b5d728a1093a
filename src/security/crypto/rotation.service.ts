import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { KeyRotationsTable } from '../../db/database.js';
import type { CryptoService } from './crypto.service.js';
import { KeyringError } from './root-key.js';

/** What a rotation sweeps: every table that holds sealed values (implemented by the CRM). */
export interface Resealer {
  readonly objects: readonly string[];
  sweep(
    object: string,
    opts: {
      afterSeq: number;
      rotateDeks?: boolean;
      updatedSince?: string;
      onBatch: (lastSeq: number, done: number) => Promise<void>;
      beforeRow?: (seq: number) => void | Promise<void>;
    },
  ): Promise<number>;
}

/**
 * Small secrets other modules seal under a KEK (`CryptoService.sealSecret`: the audit's signing key, TOTP seeds).
 * When a rotation finishes they are re-sealed under the new KEK, so that the retired one guards nothing: a rotation
 * made because a KEK leaked must not leave the log's signing key or the second factors under it.
 */
export interface SecretResealer {
  readonly name: string;
  /** How many are still sealed under an older KEK. */
  stale(): Promise<number>;
  /**
   * Re-seal those under the active KEK. One that does not open (altered in the database) is left as it is and
   * counted, not thrown: it must not hold the rotation — and the retiring of a perhaps leaked KEK — back for good.
   */
  reseal(): Promise<{ resealed: number; unreadable: number }>;
}

export interface RotationProgress {
  [object: string]: { lastSeq: number; done: boolean; rows: number };
}

export interface RotationView {
  id: string;
  state: string;
  fromKekId: string;
  toKekId: string;
  toEpoch: number;
  progress: RotationProgress;
  startedAt: string;
  finishedAt: string | null;
}

export interface KeyStatus {
  root: { kind: string; id: string };
  cipher: string;
  blindHash: string;
  keks: { id: string; version: number; status: string; createdAt: string; deks: number }[];
  epochs: { epoch: number; kekId: string; bits: number; status: string; indexRows: number }[];
  rotation: RotationView | null;
  deksOnOldKeks: number;
  /** Secrets (signing key, TOTP seeds) still sealed under an older KEK. */
  secretsOnOldKeks: number;
}

const toView = (r: KeyRotationsTable): RotationView => ({
  id: r.id,
  state: r.state,
  fromKekId: r.from_kek_id,
  toKekId: r.to_kek_id,
  toEpoch: r.to_epoch,
  progress: JSON.parse(r.progress) as RotationProgress,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

/**
 * Online key rotation (Tink style): add a KEK and promote it at once (new subject keys use it), open
 * a new blind-index epoch that writes fill while lookups keep reading the complete one, then sweep
 * every record — new DEK under the new KEK, re-sealed, indexed in the new epoch — saving progress
 * after each batch. A crash loses nothing: `resume` continues from the saved seq. When every table
 * is done, the new epoch becomes the one lookups read and the old KEK and epoch are retired.
 */
export class RotationService {
  constructor(
    private readonly crypto: CryptoService,
    private readonly resealer: Resealer,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    /** How long a running server may keep stale key state (it refreshes on this period). */
    private readonly settleMs: number,
    private readonly secrets: readonly SecretResealer[] = [],
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async running(): Promise<RotationView | null> {
    const r = (await this.crypto.store.rotations()).find((x) => x.state === 'running');
    return r ? toView(r) : null;
  }

  /** Start a rotation (or return the one already running). */
  async start(): Promise<RotationView> {
    const current = await this.running();
    if (current) return current;
    const h = this.crypto.hierarchy;
    await h.refresh();
    const from = h.activeKek();
    const { row: kek, kek: to } = await h.mintKek('active');
    const toEpoch = h.allEpochs().reduce((m, e) => Math.max(m, e.epoch), 0) + 1;
    const epoch = {
      epoch: toEpoch,
      kek_id: to.id,
      bits: h.bitsForNewEpoch,
      status: 'building',
      created_at: this.now(),
    };
    const row: KeyRotationsTable = {
      id: newId(),
      state: 'running',
      from_kek_id: from.id,
      to_kek_id: to.id,
      to_epoch: toEpoch,
      progress: JSON.stringify(
        Object.fromEntries(this.resealer.objects.map((o) => [o, { lastSeq: 0, done: false, rows: 0 }])),
      ),
      started_at: this.now(),
      updated_at: this.now(),
      finished_at: null,
    };
    if (!(await this.crypto.store.beginRotation(kek, from.id, epoch, row))) {
      // Another process started one meanwhile: that is the rotation.
      to.key.fill(0);
      const other = await this.running();
      if (other) return other;
      throw new KeyringError('a key rotation started and ended meanwhile; run `separ keys status`');
    }
    await h.refresh();
    this.emit('keys.rotation_started', row.id, { fromKek: from.id, toKek: to.id, toEpoch });
    return toView(row);
  }

  /** Sweep what is left of the running rotation and finish it. Safe to call again after a crash. */
  async resume(
    opts: { beforeRow?: (seq: number) => void | Promise<void>; onProgress?: (v: RotationView) => void } = {},
  ): Promise<RotationView | null> {
    const rot = await this.running();
    if (!rot) return null;
    const h = this.crypto.hierarchy;
    await h.refresh();
    const progress = rot.progress;
    for (const object of this.resealer.objects) {
      const p = (progress[object] ??= { lastSeq: 0, done: false, rows: 0 });
      if (p.done) continue;
      const base = p.rows;
      await this.resealer.sweep(object, {
        afterSeq: p.lastSeq,
        rotateDeks: true,
        onBatch: async (lastSeq, done) => {
          p.lastSeq = lastSeq;
          p.rows = base + done;
          await this.crypto.store.updateRotation(rot.id, {
            progress: JSON.stringify(progress),
            updated_at: this.now(),
          });
          opts.onProgress?.({ ...rot, progress });
        },
        ...(opts.beforeRow ? { beforeRow: opts.beforeRow } : {}),
      });
      p.done = true;
      await this.crypto.store.updateRotation(rot.id, { progress: JSON.stringify(progress), updated_at: this.now() });
    }
    // Servers refresh their key state periodically; rows they wrote with stale state are caught up here.
    if (this.settleMs > 0) await new Promise((r) => setTimeout(r, this.settleMs));
    for (const object of this.resealer.objects) {
      await this.resealer.sweep(object, {
        afterSeq: 0,
        rotateDeks: true,
        updatedSince: rot.startedAt,
        onBatch: async () => undefined,
      });
    }
    await this.finish(rot);
    return { ...rot, state: 'done', progress, finishedAt: this.now() };
  }

  private async finish(rot: RotationView): Promise<void> {
    const h = this.crypto.hierarchy;
    const to = h.kek(rot.toKekId);
    // Keys that no record refers to any more (destroyed subjects stay destroyed) move to the new KEK.
    for (;;) {
      const batch = await this.crypto.store.deksNotUnder(to.id, 500);
      if (batch.length === 0) break;
      for (const d of batch) {
        if (d.wrapped === null) continue;
        await this.crypto.store.rewrapDek(
          d.dek_id,
          to.id,
          h.rewrap(d.dek_id, d.wrapped, d.subject_type, d.subject_id, to),
        );
      }
      if (batch.every((d) => d.wrapped === null)) break;
    }
    for (const e of h.allEpochs()) {
      if (e.epoch === rot.toEpoch) await this.crypto.store.setEpochStatus(e.epoch, 'active');
      else if (e.status !== 'retired') {
        await this.crypto.store.setEpochStatus(e.epoch, 'retired');
        await this.crypto.store.deleteEpochIndexes(e.epoch);
      }
    }
    const secrets: Record<string, { resealed: number; unreadable: number }> = {};
    for (const r of this.secrets) secrets[r.name] = await r.reseal();
    await this.crypto.store.setKekStatus(rot.fromKekId, 'retired', this.now());
    await this.crypto.store.updateRotation(rot.id, { state: 'done', finished_at: this.now(), updated_at: this.now() });
    await h.refresh();
    this.emit('keys.rotation_finished', rot.id, {
      fromKek: rot.fromKekId,
      toKek: rot.toKekId,
      epoch: rot.toEpoch,
      secretsResealed: secrets,
    });
  }

  async status(): Promise<KeyStatus> {
    const h = this.crypto.hierarchy;
    await h.refresh();
    const deks = new Map((await this.crypto.store.countDeksByKek()).map((x) => [x.kek_id, x.n]));
    const rows = new Map((await this.crypto.store.countBlindIndexesByEpoch()).map((x) => [x.epoch, x.n]));
    const keks = await this.crypto.store.keks();
    const active = h.activeKek();
    const rotations = await this.crypto.store.rotations();
    const last = rotations[rotations.length - 1];
    return {
      root: { kind: h.rootKind, id: h.rootKeyId },
      cipher: this.crypto.aead.name,
      blindHash: this.crypto.blindHash,
      keks: keks.map((k) => ({
        id: k.id,
        version: k.version,
        status: k.status,
        createdAt: k.created_at,
        deks: deks.get(k.id) ?? 0,
      })),
      epochs: h.allEpochs().map((e) => ({
        epoch: e.epoch,
        kekId: e.kekId,
        bits: e.bits,
        status: e.status,
        indexRows: rows.get(e.epoch) ?? 0,
      })),
      rotation: last ? toView(last) : null,
      deksOnOldKeks: [...deks.entries()].filter(([k]) => k !== active.id).reduce((n, [, c]) => n + c, 0),
      secretsOnOldKeks: (await Promise.all(this.secrets.map((r) => r.stale()))).reduce((n, c) => n + c, 0),
    };
  }

  private emit(type: string, id: string, detail: Record<string, unknown>): void {
    this.bus.emit({
      type,
      at: this.now(),
      outcome: 'success',
      context: { actorId: null, actorType: 'system', ip: null, userAgent: null, requestId: null },
      target: { type: 'key-rotation', id },
      detail,
    });
  }
}

export function assertNoRunningRotation(v: RotationView | null): void {
  if (v)
    throw new KeyringError(
      `a key rotation (${v.id}) is already running; resume it with \`separ keys rotate --resume\``,
    );
}
