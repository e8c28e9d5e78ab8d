// A self-signed certificate for local TLS (the ingress stand-in), made with the openssl CLI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";

export interface TlsCert {
  key: string;
  cert: string;
}

/** A one-day certificate for the host names (the first is the subject). */
export async function selfSignedCert(hostnames: string[]): Promise<TlsCert> {
  const dir = mkdtempSync(path.join(tmpdir(), "runtime-tls-"));
  const key = path.join(dir, "tls.key");
  const cert = path.join(dir, "tls.crt");
  await execa("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-keyout", key, "-out", cert,
    "-subj", `/CN=${hostnames[0]}`,
    "-addext", `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(",")}`,
  ]);
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

export interface SignedCert extends TlsCert {
  /** The CA that signed `cert`: what a client adds to its trust store. */
  ca: string;
}

/**
 * A one-day CA and a server certificate it signs for the host names (wildcards allowed), for
 * clients that verify TLS (Python 3.13's strict verification wants a real CA and key identifiers).
 */
export async function caSignedCert(hostnames: string[]): Promise<SignedCert> {
  const dir = mkdtempSync(path.join(tmpdir(), "runtime-ca-"));
  const file = (name: string) => path.join(dir, name);
  await execa("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", file("ca.key"), "-out", file("ca.crt"),
    "-subj", "/CN=runtime-suite-ca", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await execa("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("tls.key"), "-out", file("tls.csr"), "-subj", `/CN=${hostnames[0]}`]);
  writeFileSync(file("ext.cnf"), [
    `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(",")}`,
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "subjectKeyIdentifier=hash",
    "authorityKeyIdentifier=keyid",
  ].join("\n") + "\n");
  await execa("openssl", ["x509", "-req", "-in", file("tls.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "1", "-out", file("tls.crt"), "-extfile", file("ext.cnf")]);
  return { key: readFileSync(file("tls.key"), "utf8"), cert: readFileSync(file("tls.crt"), "utf8"), ca: readFileSync(file("ca.crt"), "utf8") };
}

export interface MutualTls {
  /** The CA both sides trust. */
  ca: string;
  server: TlsCert;
  client: TlsCert;
}

/**
 * A one-day CA with a server certificate for IP addresses and a client certificate: what
 * `dockerd --tlsverify` and `docker --tlsverify` (DOCKER_CERT_PATH's ca.pem, cert.pem, key.pem) use.
 */
export async function mutualTls(serverIps: string[]): Promise<MutualTls> {
  const dir = mkdtempSync(path.join(tmpdir(), "runtime-mtls-"));
  const file = (name: string) => path.join(dir, name);
  await execa("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", file("ca.key"), "-out", file("ca.crt"),
    "-subj", "/CN=runtime-suite-docker-ca", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const issue = async (name: string, subject: string, extensions: string[]): Promise<TlsCert> => {
    await execa("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", `/CN=${subject}`]);
    writeFileSync(file(`${name}.cnf`), [...extensions, "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"].join("\n") + "\n");
    await execa("openssl", ["x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "1", "-out", file(`${name}.crt`), "-extfile", file(`${name}.cnf`)]);
    return { key: readFileSync(file(`${name}.key`), "utf8"), cert: readFileSync(file(`${name}.crt`), "utf8") };
  };
  const server = await issue("server", serverIps[0], [`subjectAltName=${serverIps.map((ip) => `IP:${ip}`).join(",")}`, "extendedKeyUsage=serverAuth"]);
  const client = await issue("client", "runtime-suite-client", ["extendedKeyUsage=clientAuth"]);
  return { ca: readFileSync(file("ca.crt"), "utf8"), server, client };
}
