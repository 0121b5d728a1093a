import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import { userContext, type CallerMeta, type IdentityEvents } from '../identity-events.js';
import type { IdentityStore } from '../identity.repository.js';
import type { Mailer } from '../mail/mailer.js';
import { newDeviceMessage } from '../mail/messages.js';
import { describeUserAgent } from '../user-agent.js';
import { networkOf } from './network.js';

export interface DeviceOwner {
  id: string;
  email: string;
  name: string;
}

/**
 * Devices and networks each user signs in from. A device is known for a user once a sign-in from it completed;
 * known devices keep their own failure counter (lockout spares the owner). Completing a sign-in from a device or
 * network the user has not used before sends them a notice and leaves a `auth.new-device` event; the very first
 * sign-in of an account only records what it used.
 */
export class KnownDevices {
  constructor(
    private readonly deps: {
      store: IdentityStore;
      clock: Clock;
      events: IdentityEvents;
      mailer: Mailer;
      logger: Logger;
      publicUrl: string;
    },
  ) {}

  async isKnown(userId: string, deviceHash: string | null): Promise<boolean> {
    if (deviceHash === null) return false;
    return this.deps.store.repos.devices.isKnownDevice(userId, deviceHash);
  }

  /** Records a completed sign-in from `deviceHash` and notifies the user when the device or network is new. */
  async recordSignIn(user: DeviceOwner, deviceHash: string, meta: CallerMeta): Promise<void> {
    const { devices } = this.deps.store.repos;
    const now = this.deps.clock.now().toISOString();
    const network = networkOf(meta.ip);
    const firstEver = (await devices.countDevices(user.id)) === 0;
    const newDevice = !(await devices.isKnownDevice(user.id, deviceHash));
    const newNetwork = network !== null && !(await devices.isKnownNetwork(user.id, network));
    await devices.rememberDevice(user.id, deviceHash, now, meta.ip, meta.userAgent);
    if (network !== null) await devices.rememberNetwork(user.id, network, now);
    if (firstEver || (!newDevice && !newNetwork)) return;

    const reason = newDevice && newNetwork ? 'both' : newDevice ? 'device' : 'network';
    const device = describeUserAgent(meta.userAgent);
    this.deps.events.emit({
      type: 'auth.new-device',
      outcome: 'success',
      context: userContext(user.id, meta),
      target: { type: 'user', id: user.id },
      detail: { reason, device, network, notified: this.deps.mailer.configured },
    });
    const message = newDeviceMessage(
      user.email,
      user.name,
      { at: now, ip: meta.ip, device, reason },
      this.deps.publicUrl,
    );
    // The notice must not hold up (or fail) the sign-in it reports.
    this.deps.mailer.send(message).catch((err: unknown) => {
      this.deps.logger.error({ err, userId: user.id }, 'new-device notice could not be sent');
    });
  }
}
