// `npm run template -- [values files...] [helm template flags...]`: renders the chart to stdout
// with the pinned Helm 4 (HELM=helm3 picks Helm 3). No cluster needed.
import { execa } from "execa";
import { helmBinary, type HelmName } from "../lib/helm-binaries.ts";
import { templateArgs } from "../lib/render.ts";

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith("-"));
const valuesFiles = firstFlag < 0 ? args : args.slice(0, firstFlag);
const extraArgs = firstFlag < 0 ? [] : args.slice(firstFlag);
const helm = (process.env.HELM ?? "helm4") as HelmName;
const result = await execa(helmBinary(helm), templateArgs({ valuesFiles, extraArgs }), { reject: false, stdout: "inherit", stderr: "inherit" });
process.exit(result.exitCode ?? 1);
