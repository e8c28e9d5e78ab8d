// The External Secrets Operator's controller, built from its Go module at a pinned version
// (ts/lib/go-binaries.ts), with the CRDs of that same module version, run as a process outside
// the cluster against an API server: no webhook, no certificate controller, only the
// reconcilers of SecretStores and ExternalSecrets. Its AWS provider reads the endpoints
// AWS_STS_ENDPOINT and AWS_SECRETSMANAGER_ENDPOINT (pkg/provider/aws/auth/resolver.go), so a
// stand-in on loopback can answer it.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { binaryPath, buildComponent, versions } from "./go-binaries.ts";

export const externalSecretsVersion = versions.externalSecrets;
const module = "github.com/external-secrets/external-secrets";

/** Builds the controller once (minutes on a cold Go cache); later calls return at once. */
export async function buildExternalSecretsOperator(): Promise<string> {
  await buildComponent("externalSecrets");
  return binaryPath("externalSecrets", "external-secrets");
}

/** Every CRD of the operator (deploy/crds/bundle.yaml of its module, from the module cache). */
export async function externalSecretsCrds(): Promise<string> {
  const { stdout } = await execa("go", ["mod", "download", "-json", `${module}@${externalSecretsVersion}`]);
  return readFileSync(path.join(JSON.parse(stdout).Dir as string, "deploy", "crds", "bundle.yaml"), "utf8");
}

export interface RunningOperator {
  /** Everything the controller printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the controller against the API server of `kubeconfig`. `env` adds to a minimal
 * environment (no AWS configuration of this machine leaks in: shared config files point
 * into `dir`, the instance metadata service is off). Its log goes to `dir`/external-secrets.log.
 */
export async function startExternalSecretsOperator(options: { kubeconfig: string; dir: string; env: Record<string, string> }): Promise<RunningOperator> {
  const binary = await buildExternalSecretsOperator();
  mkdirSync(options.dir, { recursive: true });
  const chunks: Buffer[] = [];
  const child = spawn(
    binary,
    [
      "--metrics-addr", "0",
      "--enable-leader-election=false",
      // Only SecretStores and ExternalSecrets: the chart renders nothing else of the operator's.
      "--enable-cluster-store-reconciler=false",
      "--enable-cluster-external-secret-reconciler=false",
      "--enable-push-secret-reconciler=false",
      "--enable-cluster-push-secret-reconciler=false",
      "--loglevel", "debug",
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: options.dir,
        KUBECONFIG: options.kubeconfig,
        AWS_CONFIG_FILE: path.join(options.dir, "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(options.dir, "aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        ...options.env,
      },
    },
  );
  child.stdout!.on("data", (c: Buffer) => chunks.push(c));
  child.stderr!.on("data", (c: Buffer) => chunks.push(c));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => writeFileSync(path.join(options.dir, "external-secrets.log"), Buffer.concat(chunks)));
  return {
    log: () => Buffer.concat(chunks).toString("utf8"),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the controller with the identity IRSA gives the operator's pod: `roleArn` and a
 * projected service account token (written to `dir`/token), which its AWS SDK trades for
 * credentials at STS. STS and Secrets Manager are both `endpoint` (a stand-in).
 */
export async function startExternalSecretsOperatorWithIrsa(options: { kubeconfig: string; dir: string; identity: { roleArn: string; token: string }; endpoint: string }): Promise<RunningOperator> {
  mkdirSync(options.dir, { recursive: true });
  const tokenFile = path.join(options.dir, "token");
  writeFileSync(tokenFile, options.identity.token);
  return startExternalSecretsOperator({
    kubeconfig: options.kubeconfig,
    dir: options.dir,
    env: {
      AWS_ROLE_ARN: options.identity.roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_STS_ENDPOINT: options.endpoint,
      AWS_SECRETSMANAGER_ENDPOINT: options.endpoint,
    },
  });
}
