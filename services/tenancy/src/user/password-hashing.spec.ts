import { PasswordHasher } from './password-hashing';

describe('PasswordHasher (scrypt)', () => {
  const hasher = new PasswordHasher();

  it('stores scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const [a, b] = [await hasher.hash('correct horse battery'), await hasher.hash('correct horse battery')];
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', stored)).toBe(true);
    expect(await hasher.verify('correct horse batterY', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current ones', async () => {
    const stored = await new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }).hash('old but fine password');
    expect(await hasher.verify('old but fine password', stored)).toBe(true);
  });

  it('never matches a malformed or over-expensive stored hash', async () => {
    expect(await hasher.verify('x', 'plain-text')).toBe(false);
    expect(await hasher.verify('x', 'scrypt$3$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5')).toBe(false);
    expect(await hasher.verify('x', `scrypt$${2 ** 24}$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5`)).toBe(false);
    expect(await hasher.verifyNothing('anything')).toBe(false);
  });
});
