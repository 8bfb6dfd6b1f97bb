import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACTION_ID_MAX, ActionIdError, decodeActionId, encodeActionId } from '../../src/conversation/action-id.ts';

describe('action ids', () => {
  it('round-trips flow, verb, version, arguments and page', () => {
    const id = encodeActionId({ flow: 'vote', verb: 'pick', version: 2, args: ['r1', 'x_y.z'] }, 3);
    expect(id).toBe('vote:pick.2:r1:x_y.z~3');
    expect(decodeActionId(id)).toEqual({ flow: 'vote', verb: 'pick', version: 2, args: ['r1', 'x_y.z'], page: 3 });
    expect(decodeActionId('help:page')).toEqual({ flow: 'help', verb: 'page', version: 1, args: [] });
  });
  it('fits three UUIDs and long names within 100 characters', () => {
    const uuids = [randomUUID(), randomUUID(), randomUUID()];
    const id = encodeActionId({ flow: 'implementation', verb: 'status', version: 2, args: uuids }, 9999);
    expect(id.length).toBeLessThanOrEqual(ACTION_ID_MAX);
    expect(() => encodeActionId({ flow: 'implementation', verb: 'update-status', args: uuids }, 9999)).toThrow(ActionIdError);
    expect(decodeActionId(id)?.args).toEqual(uuids);
  });
  it('refuses to build ids that could be misread or are too long', () => {
    expect(() => encodeActionId({ flow: 'Vote', verb: 'pick' })).toThrow(ActionIdError);
    expect(() => encodeActionId({ flow: 'vote', verb: 'pick', args: ['a:b'] })).toThrow(ActionIdError);
    expect(() => encodeActionId({ flow: 'vote', verb: 'pick', args: ['a'.repeat(64), 'b'.repeat(40)] })).toThrow(/over 100/);
  });
  it('decodes nothing from garbled or forged ids', () => {
    for (const bad of [
      '',
      'vote',
      'vote:',
      ':pick',
      'vote:pick:a:b~',
      'vote:pick~99999',
      'VOTE:pick',
      'vote:pick:<x>',
      'vote:pick:*short',
      'x'.repeat(101),
      'vote:pick.0',
      42,
      null,
      'vote:pick:' + 'a'.repeat(65),
    ]) {
      expect(decodeActionId(bad), String(bad)).toBeUndefined();
    }
  });
});
