import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface Credentials {
  dir: string;
  adminToken: string;
  tokenFile: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/**
 * Fresh secrets for each sandbox: an admin bearer token (system:masters) and the service-account
 * signing key pair. The API server generates its own serving certificate in the same directory.
 */
export async function createCredentials(dir: string): Promise<Credentials> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const adminToken = randomBytes(32).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, `${adminToken},udn-demo-admin,udn-demo-admin,"system:masters"\n`, { mode: 0o600 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const serviceAccountKey = join(dir, 'sa.key');
  const serviceAccountPub = join(dir, 'sa.pub');
  await writeFile(serviceAccountKey, privateKey, { mode: 0o600 });
  await writeFile(serviceAccountPub, publicKey);
  return { dir, adminToken, tokenFile, serviceAccountKey, serviceAccountPub };
}

export function kubeconfigYaml(server: string, caPem: string, token: string, name: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    users: [{ name: `${name}-admin`, user: { token } }],
  });
}
