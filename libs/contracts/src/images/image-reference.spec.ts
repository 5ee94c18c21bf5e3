import { parseImageReference } from './image-reference';

describe('parseImageReference', () => {
  it.each([
    ['busybox', { repository: 'busybox' }],
    ['caas/busybox:1', { repository: 'caas/busybox', tag: '1' }],
    ['127.0.0.1:55000/3f0c/web:1', { registry: '127.0.0.1:55000', repository: '3f0c/web', tag: '1' }],
    ['registry.example.com/a/b', { registry: 'registry.example.com', repository: 'a/b' }],
    ['localhost/web@sha256:abc', { registry: 'localhost', repository: 'web', digest: 'sha256:abc' }],
    [
      '127.0.0.1:55000/t/web:1@sha256:abc',
      { registry: '127.0.0.1:55000', repository: 't/web', tag: '1', digest: 'sha256:abc' },
    ],
  ])('%s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected);
  });
});
