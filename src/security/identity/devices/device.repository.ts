import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.js';

/** Devices (by hashed device-cookie id) and networks a user has signed in from. */
export class DeviceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async isKnownDevice(userId: string, deviceHash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('known_devices')
      .select('device_hash')
      .where('user_id', '=', userId)
      .where('device_hash', '=', deviceHash)
      .executeTakeFirst();
    return row !== undefined;
  }

  async countDevices(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('known_devices')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async isKnownNetwork(userId: string, network: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('known_networks')
      .select('network')
      .where('user_id', '=', userId)
      .where('network', '=', network)
      .executeTakeFirst();
    return row !== undefined;
  }

  async rememberDevice(
    userId: string,
    deviceHash: string,
    now: string,
    ip: string | null,
    userAgent: string | null,
  ): Promise<void> {
    await this.db
      .insertInto('known_devices')
      .values({
        user_id: userId,
        device_hash: deviceHash,
        first_seen_at: now,
        last_seen_at: now,
        ip,
        user_agent: userAgent,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'device_hash']).doUpdateSet({ last_seen_at: now, ip, user_agent: userAgent }),
      )
      .execute();
  }

  async rememberNetwork(userId: string, network: string, now: string): Promise<void> {
    await this.db
      .insertInto('known_networks')
      .values({ user_id: userId, network, first_seen_at: now, last_seen_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'network']).doUpdateSet({ last_seen_at: now }))
      .execute();
  }
}
