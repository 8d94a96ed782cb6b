import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.ts';

/** Readable and unique: `udn-demo-sandbox-20261126-074512-3f9a`. */
export function newWorkflowId(provider: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `udn-demo-${provider}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function validateWorkflowId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/.test(id)) {
    throw new InputError(`workflow id "${id}" must be 1-200 characters of letters, digits and . _ : / - and start with a letter or digit`);
  }
  return id;
}
