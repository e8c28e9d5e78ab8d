// A self-signed certificate for local TLS (the ingress stand-in), made with the openssl CLI.
import { mkdtempSync, readFileSync } from "node:fs";
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
