/**
Checks on port bindings: keys `<port>/<protocol>`, host ports, host IPs, and that each binding agrees with its key.
*/
import {isIP} from 'node:net';
import type {ValidationIssue} from '../errors.js';
import {fieldPath, keyPath} from './issue-path.js';
import {dockerProtocol, PORT_KEY_FORM, parsePortKey, parsePortNumber, requestedHostPort} from './port-key.js';
import type {BcsPort} from './types.js';

function bindingIssues(key: string, binding: BcsPort, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parsed = parsePortKey(key);
  if (parsed === undefined) {
    issues.push({
      path,
      message: `port binding key "${key}" is not <port>/<protocol>`,
      allowed: PORT_KEY_FORM,
    });
  }
  const containerPort = binding.containerPort.trim();
  if (containerPort !== '' && parsed !== undefined && parsePortNumber(containerPort) !== parsed.port) {
    issues.push({
      path: fieldPath(path, 'containerPort'),
      message: `containerPort "${binding.containerPort}" does not match the key "${key}"`,
      allowed: String(parsed.port),
    });
  }
  const protocol = binding.protocol ?? '';
  if (protocol !== '') {
    const docker = dockerProtocol(protocol);
    if (docker === undefined) {
      issues.push({
        path: fieldPath(path, 'protocol'),
        message: `unknown protocol "${protocol}"`,
        allowed: 'tcp, udp, sctp, http, https',
      });
    } else if (parsed !== undefined && docker !== parsed.protocol) {
      issues.push({
        path: fieldPath(path, 'protocol'),
        message: `protocol "${protocol}" does not match the key "${key}"`,
        allowed: parsed.protocol,
      });
    }
  }
  const hostPort = requestedHostPort(binding);
  if (hostPort !== undefined && parsePortNumber(hostPort) === undefined) {
    issues.push({
      path: fieldPath(path, 'hostPort'),
      message: `hostPort "${binding.hostPort}" is not a port number`,
      allowed: '1-65535, or 0 or empty for no host binding',
    });
  }
  const hostIP = binding.hostIP ?? '';
  if (hostIP !== '' && isIP(hostIP) === 0) {
    issues.push({
      path: fieldPath(path, 'hostIP'),
      message: `hostIP "${hostIP}" is not an IP address`,
      allowed: 'an IPv4 or IPv6 address',
    });
  }
  return issues;
}

/** Every problem of a task's `portBindings`, at `path["<key>"]...`; two keys naming the same Docker port count as one. */
export function validatePortBindings(
  bindings: Readonly<Record<string, BcsPort>>,
  path: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, string>();
  for (const [key, binding] of Object.entries(bindings)) {
    const bindingPath = keyPath(path, key);
    issues.push(...bindingIssues(key, binding, bindingPath));
    const parsed = parsePortKey(key);
    if (parsed === undefined) continue;
    const dockerKey = `${parsed.port}/${parsed.protocol}`;
    const earlier = seen.get(dockerKey);
    if (earlier === undefined) seen.set(dockerKey, key);
    else issues.push({path: bindingPath, message: `port binding "${key}" is the same port as "${earlier}"`});
  }
  return issues;
}
