// A stand-in for the Bedrock runtime endpoint: it records every request and answers the
// Converse API with a fixed text, so a test sees what a real client sends (the model in the
// path, the SigV4 signature and its scope) without an AWS account.
import { createHash, createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./net.ts";

export interface BedrockRequest {
  method: string;
  /** The path as sent (not decoded), for example `/model/<model id>/converse`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeBedrock {
  /** `http://127.0.0.1:<port>`, what a client's runtime endpoint is set to. */
  endpoint: string;
  requests: BedrockRequest[];
  close(): Promise<void>;
}

/** A Converse response holding `text` as the assistant's answer. */
export function converseResponse(text: string): Record<string, unknown> {
  return {
    output: { message: { role: "assistant", content: [{ text }] } },
    stopReason: "end_turn",
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    metrics: { latencyMs: 12 },
  };
}

export async function startFakeBedrock(answer: string): Promise<FakeBedrock> {
  const requests: BedrockRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : (value ?? "");
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers, body });
    if (req.method === "POST" && /^\/model\/[^/]+\/converse$/.test(req.url ?? "")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(converseResponse(answer)));
    } else {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "not a Converse call" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...`; undefined when it is not one. */
export function parseSigV4(authorization: string | undefined): SigV4Authorization | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization ?? "");
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** A path as AWS canonicalizes it for SigV4 (every byte but unreserved characters and `/` percent-encoded, as sent). */
function canonicalPath(path: string): string {
  return Array.from(Buffer.from(path.split("?")[0], "utf8"))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~\-/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

const sha256 = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/**
 * Whether the request's SigV4 signature is the one `secretAccessKey` makes: recomputed from
 * the method, path, signed headers and body the server received.
 */
export function sigV4SignedWith(request: BedrockRequest, secretAccessKey: string): boolean {
  const auth = parseSigV4(request.headers.authorization);
  if (!auth) return false;
  const amzDate = request.headers["x-amz-date"] ?? "";
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    "",
    ...auth.signedHeaders.map((name) => `${name}:${(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}`),
    "",
    auth.signedHeaders.join(";"),
    sha256(request.body),
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, "aws4_request"]) key = hmac(key, part);
  return hmac(key, stringToSign).toString("hex") === auth.signature;
}
