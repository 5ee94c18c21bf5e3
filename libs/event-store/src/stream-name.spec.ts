import { categoryOf, idOf, streamName } from './stream-name';

describe('stream names', () => {
  it('are <category>-<id>, and ids may contain dashes', () => {
    const stream = streamName('container', '0b6c-41d2');
    expect(stream).toBe('container-0b6c-41d2');
    expect(categoryOf(stream)).toBe('container');
    expect(idOf(stream)).toBe('0b6c-41d2');
  });

  it('refuse a category with a dash or an empty id', () => {
    expect(() => streamName('con-tainer', '1')).toThrow("Category 'con-tainer'");
    expect(() => streamName('container', '')).toThrow('Stream id must not be empty');
  });
});
