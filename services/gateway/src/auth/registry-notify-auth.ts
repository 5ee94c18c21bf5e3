import { timingSafeEqual } from 'node:crypto';

/**
 * The registry's notifications carry `Authorization: Bearer <secret>` (its endpoint's
 * `headers` setting); without a configured secret none is accepted.
 */
export class RegistryNotifyAuth {
  constructor(private readonly secret: string | undefined) {}

  accepts(authorization: string | undefined): boolean {
    if (!this.secret || !authorization) return false;
    const expected = Buffer.from(`Bearer ${this.secret}`);
    const given = Buffer.from(authorization);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
