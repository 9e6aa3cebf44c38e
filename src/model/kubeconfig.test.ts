import { describe, expect, it } from 'vitest';
import { defaultAllowedHosts } from './credential-hosts.js';
import { kubeconfigServerHost, kubeTarget } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const CONFIG = `apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: prod
  cluster: {server: "https://k8s.prod.example:6443/", certificate-authority-data: ${b64('PROD CA PEM')}}
- name: staging
  cluster: {server: "https://10.0.0.5:6443"}
contexts:
- name: prod
  context: {cluster: prod, user: deployer, namespace: shop}
- name: staging
  context: {cluster: staging, user: bot}
users:
- name: deployer
  user: {client-certificate-data: ${b64('CERT PEM')}, client-key-data: ${b64('KEY PEM')}}
- name: bot
  user: {token: abc.def}
`;

describe('kubeconfig', () => {
  it('reads the current context: server, token, no CA (the system ones)', () => {
    expect(kubeTarget(CONFIG)).toEqual({ server: 'https://10.0.0.5:6443', namespace: undefined, ca: undefined, token: 'abc.def', clientCert: undefined, clientKey: undefined });
  });

  it('reads a named context with embedded CA and client certificate (base64 PEM)', () => {
    expect(kubeTarget(CONFIG, 'prod')).toEqual({ server: 'https://k8s.prod.example:6443', namespace: 'shop', ca: 'PROD CA PEM', token: undefined, clientCert: 'CERT PEM', clientKey: 'KEY PEM' });
  });

  it.each([
    ['a context that is not there', CONFIG, 'dev', 'kubeconfig has no context named "dev"'],
    ['no current-context', CONFIG.replace('current-context: staging\n', ''), undefined, 'kubeconfig has no current-context (set context on the credential)'],
    ['not YAML', 'a: [', undefined, 'kubeconfig is not valid YAML'],
    ['an alias bomb', `a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]`, undefined, 'kubeconfig is not valid YAML'],
    ['a file server', CONFIG.replace('{server: "https://10.0.0.5:6443"}', '{server: "file:///etc/passwd"}'), undefined, 'has no http(s) server URL'],
    ['an exec plugin', CONFIG.replace('{token: abc.def}', '{exec: {command: /bin/sh, args: [-c, id]}}'), undefined, 'kubeconfig field exec is not supported'],
    ['a key file on the server', CONFIG.replace('{token: abc.def}', '{client-certificate: /etc/x.crt, client-key: /root/.ssh/id_rsa}'), undefined, 'kubeconfig field client-certificate, client-key is not supported'],
    ['skipping TLS verification', CONFIG.replace('{server: "https://10.0.0.5:6443"}', '{server: "https://10.0.0.5:6443", insecure-skip-tls-verify: true}'), undefined, 'kubeconfig field insecure-skip-tls-verify is not supported'],
  ])('refuses %s', (_what, text, context, message) => {
    expect(() => kubeTarget(text, context)).toThrow(message);
  });

  it('binds kubernetes, vault and docker credentials to their own server by default', () => {
    expect(kubeconfigServerHost(CONFIG, 'prod')).toBe('k8s.prod.example');
    expect(defaultAllowedHosts('kubernetes', { kubeconfig: CONFIG })).toEqual(['10.0.0.5']);
    expect(defaultAllowedHosts('kubernetes', { kubeconfig: 'not: [yaml' })).toEqual([]);
    expect(defaultAllowedHosts('vault', { address: 'https://vault.example.com:8200', token: 't' })).toEqual(['vault.example.com']);
    expect(defaultAllowedHosts('docker', { host: 'tcp://build-01.example:2376' })).toEqual(['build-01.example']);
    expect(defaultAllowedHosts('scim', { base_url: 'https://idp.example.com/scim/v2', token: 't' })).toEqual(['idp.example.com']);
  });
});
