import { signatureHeader, verifySignature } from './signature';

const secret = 'whsec_test';
const body = JSON.stringify({ id: 'e1', type: 'ContainerStarted', data: { n: 1 } });
const now = 1_795_000_000;

describe('webhook signatures', () => {
  it('is t and the hex HMAC-SHA256 of "<t>.<body>"', () => {
    // Independently computed: printf '1795000000.<body>' | openssl dgst -sha256 -hmac whsec_test
    const header = signatureHeader(secret, body, now);
    expect(header).toBe('t=1795000000,v1=6dbd3df8a75123a4683daa4d9c94274b0d089a3b0062d181c0fd843cd9602d7c');
    expect(verifySignature(secret, header, body, now)).toBe(true);
  });

  it('fails for a tampered body, another secret, or a missing header', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body.replace('"n":1', '"n":2'), now)).toBe(false);
    expect(verifySignature('whsec_other', header, body, now)).toBe(false);
    expect(verifySignature(secret, undefined, body, now)).toBe(false);
  });

  it('fails for a timestamp older than five minutes (a replay), or a changed one', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body, now + 300)).toBe(true);
    expect(verifySignature(secret, header, body, now + 301)).toBe(false);
    const moved = header.replace(`t=${now}`, `t=${now + 60}`);
    expect(verifySignature(secret, moved, body, now + 60)).toBe(false);
  });

  it('takes any of several v1 values (as during a rotation)', () => {
    const good = signatureHeader(secret, body, now).split(',v1=')[1];
    expect(verifySignature(secret, `t=${now},v1=${'0'.repeat(64)},v1=${good}`, body, now)).toBe(true);
  });
});
