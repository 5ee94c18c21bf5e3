import {
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST_V1_SIGNED,
  DOCKER_MANIFEST_V2,
  OCI_INDEX,
  OCI_MANIFEST,
  UnsupportedManifestError,
  blobBytes,
  isDigest,
  isForeignLayer,
  manifestMediaType,
  matchesDigest,
  parseManifest,
  sha256Digest,
} from './manifest';

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const image = {
  schemaVersion: 2,
  mediaType: DOCKER_MANIFEST_V2,
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: digest('c'), size: 100 },
  layers: [
    { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digest('a'), size: 1000 },
    { mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', digest: digest('f'), size: 5000 },
  ],
};

describe('parseManifest', () => {
  it('lists an image manifest’s config and layers, foreign layers marked as such', () => {
    const parsed = parseManifest(DOCKER_MANIFEST_V2, json(image));
    expect(parsed).toEqual({
      kind: 'image',
      blobs: [image.config, ...image.layers],
    });
    expect(blobBytes(parsed)).toBe(6100);
    expect(parsed.kind === 'image' && parsed.blobs.map(isForeignLayer)).toEqual([false, false, true]);
  });

  it('reads an OCI manifest without layers as just its config', () => {
    const oci = { schemaVersion: 2, config: { mediaType: 'x', digest: digest('1'), size: 2 } };
    expect(parseManifest(OCI_MANIFEST, json(oci))).toEqual({ kind: 'image', blobs: [oci.config] });
  });

  it.each([DOCKER_MANIFEST_LIST, OCI_INDEX])('lists the manifests of a %s', (mediaType) => {
    const child = { mediaType: OCI_MANIFEST, digest: digest('b'), size: 500, platform: { os: 'linux' } };
    const parsed = parseManifest(mediaType, json({ schemaVersion: 2, mediaType, manifests: [child] }));
    expect(parsed).toEqual({ kind: 'index', manifests: [{ mediaType: OCI_MANIFEST, digest: digest('b'), size: 500 }] });
    expect(blobBytes(parsed)).toBe(0);
  });

  it('refuses schema 1, unknown media types, bad digests and sizes, and non-JSON', () => {
    const schema1 = json({ schemaVersion: 1, fsLayers: [{ blobSum: digest('a') }] });
    expect(() => parseManifest(DOCKER_MANIFEST_V1_SIGNED, schema1)).toThrow(UnsupportedManifestError);
    expect(() => parseManifest('application/vnd.example+json', json(image))).toThrow(/unsupported manifest media type/);
    const badDigest = { ...image, config: { ...image.config, digest: 'sha256:nothex' } };
    expect(() => parseManifest(DOCKER_MANIFEST_V2, json(badDigest))).toThrow(/invalid digest/);
    const badSize = { ...image, layers: [{ ...image.layers[0], size: -1 }] };
    expect(() => parseManifest(DOCKER_MANIFEST_V2, json(badSize))).toThrow(/invalid size/);
    expect(() => parseManifest(DOCKER_MANIFEST_V2, Buffer.from('{'))).toThrow(/not JSON/);
    expect(() => parseManifest(DOCKER_MANIFEST_V2, json({ ...image, config: undefined }))).toThrow(/invalid digest/);
  });
});

describe('manifestMediaType', () => {
  it('takes the Content-Type, without parameters', () => {
    expect(manifestMediaType(`${OCI_INDEX}; charset=utf-8`, json({}))).toBe(OCI_INDEX);
  });

  it('falls back to the body’s mediaType, then tells an index from an image by its fields', () => {
    expect(manifestMediaType('application/json', json(image))).toBe(DOCKER_MANIFEST_V2);
    expect(manifestMediaType(null, json({ schemaVersion: 2, manifests: [] }))).toBe(OCI_INDEX);
    expect(manifestMediaType(null, json({ schemaVersion: 2, config: {} }))).toBe(OCI_MANIFEST);
    expect(manifestMediaType(null, json({ schemaVersion: 1 }))).toBe(DOCKER_MANIFEST_V1_SIGNED);
  });
});

describe('digests', () => {
  it('names content by its sha256 and checks sha256 and sha512 digests', () => {
    const content = Buffer.from('hello');
    const sha256 = sha256Digest(content);
    expect(sha256).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(matchesDigest(content, sha256)).toBe(true);
    expect(matchesDigest(Buffer.from('hellO'), sha256)).toBe(false);
    const sha512 =
      'sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043';
    expect(matchesDigest(content, sha512)).toBe(true);
    expect(matchesDigest(content, 'md5:5d41402abc4b2a76b9719d911017c592')).toBe(false);
    expect(isDigest('latest')).toBe(false);
  });
});
