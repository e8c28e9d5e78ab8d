// A stand-in for AWS STS and Secrets Manager on one loopback port, for a client whose STS and
// Secrets Manager endpoints are pointed at it. STS (the query protocol, answered in XML):
// AssumeRoleWithWebIdentity (unsigned, as IRSA's projected token makes it) issues temporary
// credentials for the web identity role when the token is the expected one; AssumeRole issues
// them for the roles it knows, when signed with the base key pair or with web identity
// credentials and their session token. Secrets Manager GetSecretValue (JSON 1.1,
// `X-Amz-Target: secretsmanager.GetSecretValue`) answers only requests signed with credentials
// AssumeRole issued, with their session token. Every signature is recomputed with the secret key
// it claims. Every request is recorded with what it was signed for (key, region, service), by
// which role, and why it was refused, so a test sees which role was assumed, in which region, and
// which secrets were read with it.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSigV4, sigV4SignedWith } from "./fake-bedrock.ts";
import { readBody } from "./net.ts";

export interface AwsKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsSecretsRequest {
  /** `sts:AssumeRole`, `secretsmanager:GetSecretValue`, or what else arrived (`sts:<Action>`, `secretsmanager:<target>`, `unknown`). */
  operation: string;
  /** The SigV4 scope: access key, region and service the request was signed for (undefined when unsigned). */
  accessKeyId?: string;
  region?: string;
  service?: string;
  /** AssumeRole, AssumeRoleWithWebIdentity: the role ARN asked for. */
  roleArn?: string;
  /** AssumeRole: the role whose credentials signed the call (undefined for the base key pair). */
  callerRole?: string;
  /** GetSecretValue: the secret asked for, the version stage, and the role whose credentials signed it. */
  secretId?: string;
  versionStage?: string;
  assumedRole?: string;
  /** Why the stand-in refused the request; undefined when it answered. */
  refused?: string;
}

export interface FakeAwsSecrets {
  /** `http://127.0.0.1:<port>`: both the STS and the Secrets Manager endpoint. */
  endpoint: string;
  requests: AwsSecretsRequest[];
  /** The secrets served, by name (SecretString); a test may change one to see it refreshed. */
  secrets: Map<string, string>;
  close(): Promise<void>;
}

export interface FakeAwsSecretsOptions {
  /** The only region requests may be signed for. */
  region: string;
  /** A key pair AssumeRole calls may be signed with (the caller's own identity). */
  base?: AwsKeyPair;
  /** The role AssumeRoleWithWebIdentity grants for this token (IRSA: the caller's own identity). */
  webIdentity?: { roleArn: string; token: string };
  /** Role ARNs AssumeRole grants; any other is refused with AccessDenied. */
  roles: string[];
  /** Secret name to SecretString. */
  secrets: Record<string, string>;
}

interface Issued extends AwsKeyPair {
  sessionToken: string;
  roleArn: string;
}

export async function startFakeAwsSecrets(options: FakeAwsSecretsOptions): Promise<FakeAwsSecrets> {
  const requests: AwsSecretsRequest[] = [];
  const secrets = new Map(Object.entries(options.secrets));
  const issued = new Map<string, Issued>();
  const account = "123456789012";

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : (value ?? "");
    const signed = { method: req.method ?? "", path: req.url ?? "", headers, body };
    const auth = parseSigV4(headers.authorization);
    const target = headers["x-amz-target"];
    const form = new URLSearchParams(target ? "" : body);
    const operation = target ? `secretsmanager:${target.replace(/^secretsmanager\./, "")}` : form.get("Action") ? `sts:${form.get("Action")}` : "unknown";
    const record: AwsSecretsRequest = { operation, accessKeyId: auth?.accessKeyId, region: auth?.region, service: auth?.service };
    requests.push(record);

    // Refuses the request: records why and answers in the protocol's error shape.
    const refuse = (status: number, code: string, reason: string) => {
      record.refused = `${code}: ${reason}`;
      if (operation.startsWith("sts:") || operation === "unknown") {
        sendXml(res, status, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(reason)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
      } else {
        sendAmzJson(res, status, { __type: code, message: reason });
      }
    };

    const issue = (roleArn: string): Issued => {
      const credentials: Issued = {
        accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: randomBytes(48).toString("base64"),
        roleArn,
      };
      issued.set(credentials.accessKeyId, credentials);
      return credentials;
    };
    const credentialsXml = (c: Issued, session: string) => {
      const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
      return `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>` +
        `<SessionToken>${c.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${c.roleArn.split("/").pop()}/${escapeXml(session)}</Arn><AssumedRoleId>AROA${account}:${escapeXml(session)}</AssumedRoleId></AssumedRoleUser>`;
    };

    // Unsigned by design: the web identity token is the credential.
    if (operation === "sts:AssumeRoleWithWebIdentity") {
      record.roleArn = form.get("RoleArn") ?? undefined;
      if (!options.webIdentity) return refuse(403, "AccessDenied", "no web identity is trusted");
      if (form.get("WebIdentityToken") !== options.webIdentity.token) return refuse(400, "InvalidIdentityToken", "the web identity token is not the expected one");
      if (record.roleArn !== options.webIdentity.roleArn) return refuse(403, "AccessDenied", `the web identity may not assume ${record.roleArn}`);
      const credentials = issue(record.roleArn);
      return sendXml(
        res,
        200,
        `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>${credentialsXml(credentials, form.get("RoleSessionName") ?? "session")}` +
          `<SubjectFromWebIdentityToken>system:serviceaccount:external-secrets:external-secrets</SubjectFromWebIdentityToken>` +
          `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      );
    }

    if (!auth) return refuse(403, "MissingAuthenticationToken", "the request is not signed with SigV4");
    if (auth.region !== options.region) return refuse(403, "SignatureDoesNotMatch", `signed for region ${auth.region}, the store's region is ${options.region}`);

    if (operation === "sts:AssumeRole") {
      record.roleArn = form.get("RoleArn") ?? undefined;
      if (auth.service !== "sts") return refuse(403, "SignatureDoesNotMatch", `AssumeRole signed for service ${auth.service}`);
      const caller = issued.get(auth.accessKeyId);
      if (caller) {
        record.callerRole = caller.roleArn;
        if (headers["x-amz-security-token"] !== caller.sessionToken) return refuse(403, "InvalidClientTokenId", "the session token is missing or not the one issued with the key");
        if (!sigV4SignedWith(signed, caller.secretAccessKey)) return refuse(403, "SignatureDoesNotMatch", "the signature does not match the issued secret key");
      } else if (!options.base || auth.accessKeyId !== options.base.accessKeyId || !sigV4SignedWith(signed, options.base.secretAccessKey)) {
        return refuse(403, "SignatureDoesNotMatch", `AssumeRole signed with key ${auth.accessKeyId}, neither the base key pair nor issued credentials`);
      }
      if (!record.roleArn || !options.roles.includes(record.roleArn)) return refuse(403, "AccessDenied", `not authorized to assume ${record.roleArn}`);
      const credentials = issue(record.roleArn);
      return sendXml(
        res,
        200,
        `<AssumeRoleResponse><AssumeRoleResult>${credentialsXml(credentials, form.get("RoleSessionName") ?? "session")}` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }

    if (operation === "secretsmanager:GetSecretValue") {
      let input: { SecretId?: string; VersionStage?: string; VersionId?: string };
      try {
        input = JSON.parse(body || "{}");
      } catch {
        return refuse(400, "SerializationException", "the body is not JSON");
      }
      record.secretId = input.SecretId;
      record.versionStage = input.VersionStage;
      if (auth.service !== "secretsmanager") return refuse(403, "InvalidSignatureException", `GetSecretValue signed for service ${auth.service}`);
      const credentials = issued.get(auth.accessKeyId);
      if (!credentials || !options.roles.includes(credentials.roleArn)) return refuse(403, "UnrecognizedClientException", `key ${auth.accessKeyId} is not one AssumeRole issued`);
      record.assumedRole = credentials.roleArn;
      if (headers["x-amz-security-token"] !== credentials.sessionToken) return refuse(403, "UnrecognizedClientException", "the session token is missing or not the one issued with the key");
      if (!sigV4SignedWith(signed, credentials.secretAccessKey)) return refuse(403, "InvalidSignatureException", "the signature does not match the issued secret key");
      if (input.VersionStage && input.VersionStage !== "AWSCURRENT") return refuse(400, "ResourceNotFoundException", `no version stage ${input.VersionStage}`);
      const value = input.SecretId === undefined ? undefined : secrets.get(input.SecretId);
      if (value === undefined) return refuse(400, "ResourceNotFoundException", `Secrets Manager can't find the specified secret ${input.SecretId}`);
      return sendAmzJson(res, 200, {
        ARN: `arn:aws:secretsmanager:${options.region}:${account}:secret:${input.SecretId}-AbCdEf`,
        Name: input.SecretId,
        SecretString: value,
        VersionId: randomUUID(),
        VersionStages: ["AWSCURRENT"],
        CreatedDate: Math.floor(Date.now() / 1000),
      });
    }

    return refuse(400, "InvalidAction", `the stand-in does not answer ${operation}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    secrets,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(xml) }).end(xml);
}

function sendAmzJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text) }).end(text);
}
