/**
 * Checks of the GitHub Actions workflows (.github/workflows/preview.yml and deploy.yml).
 *
 * Each check takes a parsed workflow and returns a list of problems (empty: fine), so the tests
 * run the same functions on the real files and on broken copies of them.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { PINNED_ACTIONS, PinnedAction } from "./action-inputs";

export type Permissions = string | Record<string, unknown>;
export type Concurrency = string | { group?: unknown; "cancel-in-progress"?: unknown };

export interface Step {
    name?: string;
    id?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    "continue-on-error"?: unknown;
    /**
     * The comment after `uses:` on the same line (`# v7.0.0`), trimmed. Not a workflow key: YAML
     * drops comments, so parseWorkflow copies it here for checkPinnedActions.
     */
    usesComment?: string;
}

export interface Job {
    name?: string;
    if?: string;
    "runs-on"?: unknown;
    needs?: string | string[];
    environment?: string | { name?: string; url?: string };
    permissions?: Permissions;
    concurrency?: Concurrency;
    strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
    env?: Record<string, unknown>;
    steps?: Step[];
}

export interface Workflow {
    name?: string;
    on?: unknown;
    permissions?: Permissions;
    concurrency?: Concurrency;
    env?: Record<string, unknown>;
    jobs: Record<string, Job>;
}

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");
export const STACKS_DIR = path.join(REPO_ROOT, "stacks");
export const POLICY_CONFIG_DIR = path.join(REPO_ROOT, "policy-pack", "config");

/**
 * The one file that names the Pulumi CLI version, relative to the repository root (where the
 * workflow steps run). Every pulumi/actions step reads it with `pulumi-version-file`.
 */
export const PULUMI_VERSION_FILE = ".github/pulumi-version";

/** The order stacks are promoted in: each deploys only after the one before succeeded. */
export const PROMOTION_ORDER: readonly string[] = ["dev", "staging", "prod"];

/** Node major version of every job (@pulumi/pulumi 3.270.0 and the policy pack declare node >= 22). */
export const NODE_MAJOR = "22";

/** Permissions a workflow or job may grant, with the only level allowed for each. */
export const ALLOWED_PERMISSIONS: Readonly<Record<string, string>> = {
    contents: "read",
    "id-token": "write",
    "pull-requests": "write",
};

/** The variable through which the engine tier takes an installed CLI instead of building one. */
export const ENGINE_CLI_VARIABLE = "AKS_PLATFORM_PULUMI_CLI";

const PULUMI_ACTION = "pulumi/actions";
const AZURE_LOGIN = "azure/login";
const KUBELOGIN = "azure/use-kubelogin";

/**
 * azure-native's settings for OIDC and the azure/login input that must carry the same value.
 * pulumi/pulumi-azure-native provider/pkg/provider/auth_azidentity.go (readAuthConfig): `clientId`,
 * `tenantId`, `subscriptionId` and `useOidc` fall back to ARM_CLIENT_ID, ARM_TENANT_ID,
 * ARM_SUBSCRIPTION_ID and ARM_USE_OIDC (compared with "true"); with OIDC on and no static token,
 * newOidcCredential builds a ClientAssertionCredential whose callback asks GitHub for a new token
 * (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN) every time Entra ID needs one, so a long `up` outlives
 * the first token. (Read at commit 015fcf2279888470bbfe63ead852bacf47ca38d4 of that file.)
 */
const ARM_IDS: readonly [string, string][] = [
    ["ARM_CLIENT_ID", "client-id"],
    ["ARM_TENANT_ID", "tenant-id"],
    ["ARM_SUBSCRIPTION_ID", "subscription-id"],
];
/**
 * Settings the provider would use instead of refreshing GitHub's token (same file,
 * newSingleMethodAuthCredential and newOidcCredential): a default credential, certificate or
 * secret is tried before OIDC; a static OIDC token or token file is used as is and expires.
 */
const ARM_OVERRIDES: readonly string[] = [
    "ARM_USE_DEFAULT_AZURE_CREDENTIAL",
    "ARM_CLIENT_CERTIFICATE_PATH",
    "ARM_CLIENT_SECRET",
    "ARM_OIDC_TOKEN",
    "ARM_OIDC_TOKEN_FILE_PATH",
];

/** Parses a workflow's text; keeps the comment after each `uses:`. Throws on invalid YAML or no `jobs`. */
export function parseWorkflow(text: string, file: string): Workflow {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const data: unknown = doc.toJS();
    if (!isRecord(data) || !isRecord(data.jobs)) throw new Error(`${file}: not a workflow (no jobs mapping)`);
    const wf = data as unknown as Workflow;
    const jobs = doc.get("jobs");
    if (isMap(jobs)) {
        for (const pair of jobs.items) {
            const jobId = isScalar(pair.key) ? String(pair.key.value) : undefined;
            const stepNodes = isMap(pair.value) ? pair.value.get("steps") : undefined;
            const steps = jobId === undefined ? undefined : wf.jobs[jobId]?.steps;
            if (!isSeq(stepNodes) || !Array.isArray(steps)) continue;
            stepNodes.items.forEach((node, i) => {
                const uses = isMap(node) ? node.get("uses", true) : undefined;
                const step = steps[i];
                if (isScalar(uses) && typeof uses.comment === "string" && isRecord(step)) step.usesComment = uses.comment.trim();
            });
        }
    }
    return wf;
}

/** Reads and parses a workflow file (see parseWorkflow). */
export function loadWorkflow(file: string): Workflow {
    return parseWorkflow(fs.readFileSync(file, "utf8"), file);
}

/** A deep copy to mutate in tests. */
export function cloneWorkflow(wf: Workflow): Workflow {
    return structuredClone(wf);
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the stacks directory, sorted. */
export function stackFiles(dir: string = STACKS_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.([^.]+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * The policy config every policy run on `stack` must use: `policy-pack/config/<stack>.json` (as the
 * workflows write it, relative to the repository root) when that file exists, else none (the
 * pack's defaults).
 */
export function policyConfigFor(stack: string, dir: string = POLICY_CONFIG_DIR): string | undefined {
    return fs.existsSync(path.join(dir, `${stack}.json`)) ? `policy-pack/config/${stack}.json` : undefined;
}

/** The Pulumi CLI version file's problems: it must hold one exact version (x.y.z), nothing else. */
export function checkPulumiVersionFile(text: string): string[] {
    const version = text.trim();
    return /^\d+\.\d+\.\d+$/.test(version)
        ? []
        : [`${PULUMI_VERSION_FILE}: ${JSON.stringify(version)} is not an exact version; write one release such as 3.274.1 (a range lets each run install another CLI)`];
}

// ---------------------------------------------------------------------------------------------
// Small readers

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jobEntries(wf: Workflow): [string, Job][] {
    return isRecord(wf.jobs) ? Object.entries(wf.jobs).filter((e): e is [string, Job] => isRecord(e[1])) : [];
}

function stepsOf(job: Job): Step[] {
    return Array.isArray(job.steps) ? job.steps.filter((s): s is Step => isRecord(s)) : [];
}

/** The action a step uses, without its ref: "pulumi/actions" for "pulumi/actions@v6". */
export function actionName(step: Step): string | undefined {
    if (typeof step.uses !== "string") return undefined;
    const at = step.uses.indexOf("@");
    return (at < 0 ? step.uses : step.uses.slice(0, at)).toLowerCase();
}

function stepLabel(jobId: string, step: Step, index: number): string {
    return `job ${jobId} step ${index + 1} (${step.name ?? step.uses ?? step.run?.split("\n")[0] ?? "?"})`;
}

export interface StepAt { jobId: string; job: Job; step: Step; index: number }

/** Every step of the workflow that uses an action, with where it is. */
export function actionSteps(wf: Workflow, action: string): StepAt[] {
    return jobEntries(wf).flatMap(([jobId, job]) => stepsOf(job)
        .map((step, index) => ({ jobId, job, step, index }))
        .filter((s) => actionName(s.step) === action));
}

/** The pulumi/actions command of a step ("up", "preview", ...); undefined for an install-only step. */
function commandOf(step: Step): string | undefined {
    const c = step.with?.command;
    return typeof c === "string" && c.trim() !== "" ? c.trim() : undefined;
}

/** pulumi/actions steps that run a Pulumi command (not the install-only form). */
export function pulumiCommandSteps(wf: Workflow): StepAt[] {
    return actionSteps(wf, PULUMI_ACTION).filter(({ step }) => commandOf(step) !== undefined);
}

function isUp(step: Step): boolean {
    return commandOf(step) === "up" || commandOf(step) === "update";
}

function runLines(step: Step): string[] {
    return typeof step.run === "string" ? step.run.split("\n").map((l) => l.trim()).filter((l) => l !== "") : [];
}

function indexOfRun(steps: Step[], pattern: RegExp): number {
    return steps.findIndex((s) => runLines(s).some((l) => pattern.test(l)));
}

function truthy(v: unknown): boolean {
    return v === true || v === "true";
}

function text(v: unknown): string {
    return typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : String(v);
}

/** `${{ a.b }}` and `${{a.b}}` compare equal. */
function sameExpression(a: unknown, b: unknown): boolean {
    const norm = (v: unknown): string => text(v).replace(/\$\{\{\s*/g, "${{ ").replace(/\s*\}\}/g, " }}");
    return norm(a) === norm(b);
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The workflow's triggers as a map event → its settings (null when it has none). */
export function triggers(wf: Workflow): Record<string, unknown> {
    const on = wf.on;
    if (typeof on === "string") return { [on]: null };
    if (Array.isArray(on)) return Object.fromEntries(on.filter((e): e is string => typeof e === "string").map((e) => [e, null]));
    return isRecord(on) ? on : {};
}

/** `environment:` of a job, as a name. */
export function environmentName(job: Job): string | undefined {
    const env = job.environment;
    if (typeof env === "string") return env;
    return isRecord(env) && typeof env.name === "string" ? env.name : undefined;
}

function needsOf(job: Job): string[] {
    if (typeof job.needs === "string") return [job.needs];
    return Array.isArray(job.needs) ? job.needs.filter((n): n is string => typeof n === "string") : [];
}

function concurrencyOf(c: Concurrency | undefined): { group?: string; cancel: boolean } | undefined {
    if (c === undefined) return undefined;
    if (typeof c === "string") return { group: c, cancel: false };
    if (!isRecord(c)) return { cancel: false };
    return { group: typeof c.group === "string" ? c.group : undefined, cancel: truthy(c["cancel-in-progress"]) };
}

/** `${{ <context>.NAME }}` and nothing else. */
function isContextExpression(value: unknown, contexts: readonly string[]): boolean {
    if (typeof value !== "string") return false;
    const m = /^\$\{\{\s*([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value.trim());
    return m !== null && contexts.includes(m[1]);
}

/** The environment a step runs with: workflow, then job, then step `env:` (later wins, as on GitHub). */
function effectiveEnv(wf: Workflow, job: Job, step: Step): Record<string, unknown> {
    return { ...(isRecord(wf.env) ? wf.env : {}), ...(isRecord(job.env) ? job.env : {}), ...(isRecord(step.env) ? step.env : {}) };
}

/**
 * The value of `text` for one stack: `${{ matrix.stack }}` becomes the stack, and
 * `${{ matrix.stack == 'x' && 'a' || 'b' }}` is evaluated the way GitHub does (string comparison
 * ignores case; `&&` yields 'a' only when it is non-empty, else `||` yields 'b'; GitHub docs,
 * "Evaluate expressions in workflows and actions", Operators). Other expressions stay as written.
 */
export function resolveForStack(value: string, stack: string): string {
    return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expr: string) => {
        if (/^matrix\.stack$/.test(expr)) return stack;
        const m = /^matrix\.stack\s*==\s*'([^']*)'\s*&&\s*'([^']*)'\s*\|\|\s*'([^']*)'$/.exec(expr);
        if (!m) return whole;
        const [, compared, whenEqual, otherwise] = m;
        return stack.toLowerCase() === compared.toLowerCase() && whenEqual !== "" ? whenEqual : otherwise;
    });
}

/** The stacks a Pulumi step runs on: the last part of `stack-name`, or every `matrix.stack`. */
export function stacksOfStep(job: Job, step: Step): string[] {
    const name = step.with?.["stack-name"];
    if (typeof name !== "string") return [];
    const last = name.split("/").pop()?.trim() ?? "";
    if (/^\$\{\{\s*matrix\.stack\s*\}\}$/.test(last)) {
        const stacks = job.strategy?.matrix?.stack;
        return Array.isArray(stacks) ? stacks.map(String) : [];
    }
    return last === "" || last.includes("${{") ? [] : [last];
}

/** Edit distance, for "did you mean" hints on misspelt inputs. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

// ---------------------------------------------------------------------------------------------
// Checks shared by both workflows

/**
 * Every `uses:` is pinned to the full commit SHA of a release, with that release's tag in a
 * comment (`owner/name@<40 hex> # vX.Y.Z`), and the SHA and tag are the ones recorded in
 * action-inputs.ts (read from the action's repository). Local actions (`./...`) are fine.
 */
export function checkPinnedActions(wf: Workflow, pinned: Readonly<Record<string, PinnedAction>> = PINNED_ACTIONS): string[] {
    const problems: string[] = [];
    for (const [jobId, job] of jobEntries(wf)) {
        stepsOf(job).forEach((step, i) => {
            if (typeof step.uses !== "string" || step.uses.startsWith("./")) return;
            const where = `${stepLabel(jobId, step, i)}: ${step.uses}`;
            const ref = step.uses.split("@")[1];
            if (ref === undefined || !/^[0-9a-f]{40}$/.test(ref)) {
                problems.push(`${where} is not pinned to a full commit SHA (a tag or branch can be moved to other code)`);
                return;
            }
            const comment = step.usesComment ?? "";
            const tagged = /^v\d+(\.\d+)*$/.test(comment);
            if (!tagged) problems.push(`${where} has no version comment after the SHA; write the release it is, e.g. "# v1.2.3"`);
            const name = actionName(step) ?? "";
            const entry = pinned[name];
            if (!entry) {
                problems.push(`${where}: no action.yml record for ${name}; read its inputs at the pinned commit into test/support/action-inputs.ts`);
                return;
            }
            if (ref !== entry.sha) problems.push(`${where} is not ${entry.repo} ${entry.tag} (${entry.sha}), the release recorded in action-inputs.ts`);
            else if (tagged && comment !== entry.tag) problems.push(`${where}: the comment says ${comment}, but that commit is ${entry.repo} ${entry.tag}`);
        });
    }
    return problems;
}

/**
 * Every `with:` key is an input the action's action.yml declares at the pinned release (GitHub
 * only warns about others and runs the step without them), and every required input is given.
 */
export function checkActionInputs(wf: Workflow, pinned: Readonly<Record<string, PinnedAction>> = PINNED_ACTIONS): string[] {
    const problems: string[] = [];
    for (const [jobId, job] of jobEntries(wf)) {
        stepsOf(job).forEach((step, i) => {
            const entry = pinned[actionName(step) ?? ""];
            if (!entry) return; // checkPinnedActions names it
            const given = isRecord(step.with) ? Object.keys(step.with) : [];
            for (const key of given.filter((k) => !entry.inputs.includes(k))) {
                const near = entry.inputs.filter((n) => distance(n, key) <= 2);
                problems.push(`${stepLabel(jobId, step, i)}: ${key} is not an input of ${entry.repo} ${entry.tag}`
                    + (near.length > 0 ? `; did you mean ${near.join(" or ")}?` : `; its action.yml declares ${entry.inputs.join(", ")}`));
            }
            for (const key of entry.required.filter((k) => !given.includes(k))) {
                problems.push(`${stepLabel(jobId, step, i)}: ${entry.repo} ${entry.tag} requires the input ${key}`);
            }
        });
    }
    return problems;
}

/**
 * Every pulumi/actions step installs the CLI from the version file: `pulumi-version-file:
 * .github/pulumi-version` and no `pulumi-version` (pulumi/actions v7.0.0: README, without either it
 * installs "^3", whatever is newest; src/config.ts, with both it throws).
 */
export function checkPulumiCliPin(wf: Workflow): string[] {
    const problems: string[] = [];
    for (const { jobId, step, index } of actionSteps(wf, PULUMI_ACTION)) {
        const where = stepLabel(jobId, step, index);
        const version = step.with?.["pulumi-version"];
        const file = step.with?.["pulumi-version-file"];
        if (version !== undefined) problems.push(`${where}: pulumi-version: ${String(version)}; name the CLI in ${PULUMI_VERSION_FILE} only (pulumi-version-file), so every step runs the same release`);
        if (file === undefined) {
            if (version === undefined) problems.push(`${where}: no pulumi-version-file: ${PULUMI_VERSION_FILE}; pulumi/actions would install whatever "^3" resolves to`);
        } else if (text(file) !== PULUMI_VERSION_FILE) {
            problems.push(`${where}: pulumi-version-file is ${JSON.stringify(file)}, expected ${PULUMI_VERSION_FILE}`);
        }
    }
    return problems;
}

/** Every actions/setup-node step installs Node 22 and caches npm downloads. */
export function checkNodeSetup(wf: Workflow): string[] {
    return actionSteps(wf, "actions/setup-node").flatMap(({ jobId, step, index }) => {
        const problems: string[] = [];
        if (text(step.with?.["node-version"]) !== NODE_MAJOR) problems.push(`${stepLabel(jobId, step, index)}: setup-node must use Node ${NODE_MAJOR}, not ${JSON.stringify(step.with?.["node-version"])}`);
        if (step.with?.cache !== "npm") problems.push(`${stepLabel(jobId, step, index)}: setup-node must cache npm`);
        return problems;
    });
}

/**
 * Permissions: the workflow sets them explicitly with `id-token: write`; no block (workflow or
 * job) grants anything beyond contents read, id-token write and pull-requests write.
 */
export function checkPermissions(wf: Workflow, options: { pullRequests: boolean }): string[] {
    const problems: string[] = [];
    const check = (where: string, p: Permissions | undefined): void => {
        if (p === undefined) return;
        if (typeof p === "string") {
            problems.push(`${where}: permissions "${p}" grants everything at once; list each permission`);
            return;
        }
        if (!isRecord(p)) {
            problems.push(`${where}: permissions must be a mapping`);
            return;
        }
        for (const [scope, level] of Object.entries(p)) {
            const allowed = ALLOWED_PERMISSIONS[scope];
            if (allowed === undefined) problems.push(`${where}: permission ${scope}: ${String(level)} is not needed; allowed: ${Object.keys(ALLOWED_PERMISSIONS).join(", ")}`);
            else if (level !== allowed && level !== "none" && !(allowed === "write" && level === "read")) {
                problems.push(`${where}: permission ${scope}: ${String(level)} is broader than ${scope}: ${allowed}`);
            } else if (scope === "pull-requests" && level === "write" && !options.pullRequests) {
                problems.push(`${where}: pull-requests: write is not needed here (nothing comments on a pull request)`);
            }
        }
    };
    if (wf.permissions === undefined) problems.push("workflow: no top-level permissions; the default token would get the repository's default scopes");
    check("workflow", wf.permissions);
    for (const [jobId, job] of jobEntries(wf)) check(`job ${jobId}`, job.permissions);
    if (isRecord(wf.permissions) && wf.permissions["id-token"] !== "write") {
        problems.push("workflow: permissions lack id-token: write (azure/login needs an OIDC token)");
    }
    // A job that logs in to Azure must end up with id-token: write, whatever it overrides.
    for (const { jobId, job } of actionSteps(wf, AZURE_LOGIN)) {
        const effective = job.permissions !== undefined ? job.permissions : wf.permissions;
        if (!isRecord(effective) || effective["id-token"] !== "write") problems.push(`job ${jobId}: logs in to Azure without id-token: write`);
    }
    return problems;
}

/** Keys whose value is a credential: only `${{ secrets.X }}` (or the job's own GitHub token) may fill them. */
const SECRET_KEY = /(token|secret|password|passwd|credential|creds|private[-_]?key|api[-_]?key|access[-_]?key|connection[-_]?string)/i;
/** Keys that identify an Azure principal: not secret, but never hard-coded (vars or secrets). */
const ID_KEY = /^(client-id|tenant-id|subscription-id|ARM_CLIENT_ID|ARM_TENANT_ID|ARM_SUBSCRIPTION_ID|AZURE_CLIENT_ID|AZURE_TENANT_ID|AZURE_SUBSCRIPTION_ID)$/i;
/** Values that look like a credential wherever they appear. */
const SECRET_VALUE: readonly [RegExp, string][] = [
    [/\bpul-[0-9a-f]{40}\b/, "a Pulumi access token"],
    [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b/, "a GitHub token"],
    [/\bgithub_pat_[A-Za-z0-9_]{20,}/, "a GitHub fine-grained token"],
    [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, "a JWT"],
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
    [/\b[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}\b/, "an Entra ID client secret"],
];

/**
 * No secret in plain text: credential-named inputs and env vars are `${{ secrets.X }}`; Azure ids
 * are `${{ vars.X }}` or `${{ secrets.X }}`; no value anywhere looks like a token or key; azure/login
 * never gets a client secret (`client-secret`, or `creds` JSON that carries one).
 */
export function checkNoSecretLiterals(wf: Workflow): string[] {
    const problems: string[] = [];
    const visit = (where: string, value: unknown, key?: string): void => {
        if (Array.isArray(value)) {
            value.forEach((v, i) => visit(`${where}[${i}]`, v));
            return;
        }
        if (isRecord(value)) {
            for (const [k, v] of Object.entries(value)) {
                if (k === "permissions") continue; // `id-token: write` is a scope, not a credential
                visit(where ? `${where}.${k}` : k, v, k);
            }
            return;
        }
        if (typeof value !== "string" && typeof value !== "number") return;
        const str = String(value);
        for (const [pattern, what] of SECRET_VALUE) {
            if (pattern.test(str)) problems.push(`${where}: looks like ${what} in plain text`);
        }
        if (key === undefined) return;
        if (key === "github-token") {
            if (!isContextExpression(str, ["secrets"]) && !/^\$\{\{\s*github\.token\s*\}\}$/.test(str.trim())) {
                problems.push(`${where}: must be \${{ secrets.GITHUB_TOKEN }} or \${{ github.token }}`);
            }
        } else if (ID_KEY.test(key)) {
            if (!isContextExpression(str, ["vars", "secrets"])) problems.push(`${where}: must be a \${{ vars.X }} or \${{ secrets.X }} expression, not a literal`);
        } else if (SECRET_KEY.test(key)) {
            if (!isContextExpression(str, ["secrets"])) problems.push(`${where}: a credential must come from \${{ secrets.X }}, not a literal or a plain variable`);
        }
    };
    visit("", wf);
    for (const { jobId, step, index } of actionSteps(wf, AZURE_LOGIN)) {
        const w = isRecord(step.with) ? step.with : {};
        for (const input of ["client-secret", "creds"]) {
            if (w[input] !== undefined) problems.push(`${stepLabel(jobId, step, index)}: azure/login has ${input}; use OIDC federated credentials (client-id, tenant-id, subscription-id) and no secret`);
        }
        for (const input of ["client-id", "tenant-id", "subscription-id"]) {
            if (w[input] === undefined) problems.push(`${stepLabel(jobId, step, index)}: azure/login lacks ${input}`);
        }
    }
    return problems;
}

/**
 * Every Pulumi command step applies the policy pack (`policyPacks: policy-pack`) and, for each
 * stack it runs on, the stack's policy config (`policyPackConfigs`) when policy-pack/config has
 * one: prod makes the advisory rules mandatory.
 */
export function checkPolicyPacks(wf: Workflow, configFor: (stack: string) => string | undefined = policyConfigFor): string[] {
    const steps = pulumiCommandSteps(wf);
    const problems: string[] = [];
    if (steps.length === 0) problems.push("no pulumi/actions step runs a Pulumi command");
    for (const { jobId, job, step, index } of steps) {
        const where = stepLabel(jobId, step, index);
        if (step.with?.policyPacks !== "policy-pack") problems.push(`${where}: pulumi/actions without policyPacks: policy-pack`);
        const stacks = stacksOfStep(job, step);
        if (stacks.length === 0) problems.push(`${where}: cannot tell which stack ${JSON.stringify(step.with?.["stack-name"])} is`);
        for (const stack of stacks) {
            const configured = resolveForStack(text(step.with?.policyPackConfigs), stack).trim();
            const expected = configFor(stack);
            if (configured.includes("${{")) problems.push(`${where}: cannot tell which policy config ${JSON.stringify(configured)} is for ${stack}`);
            else if (expected !== undefined && configured !== expected) {
                problems.push(`${where}: ${stack} runs without policyPackConfigs: ${expected}${configured ? ` (it gets ${configured})` : ""}; the pack would run with its default enforcement levels`);
            } else if (expected === undefined && configured !== "") {
                problems.push(`${where}: ${stack} gets policyPackConfigs ${configured}, but policy-pack/config has no ${stack}.json`);
            }
        }
    }
    return problems;
}

/**
 * azure-native authenticates every Pulumi command step with GitHub's OIDC token and fetches a new
 * one itself: ARM_USE_OIDC "true" and ARM_CLIENT_ID / ARM_TENANT_ID / ARM_SUBSCRIPTION_ID equal
 * to the job's azure/login inputs; nothing that would make it use another credential first.
 * Without these it uses the Azure CLI's token from azure/login, which cannot be renewed once
 * GitHub's assertion has expired (AADSTS700024 in a long first deploy).
 */
export function checkAzureOidcEnv(wf: Workflow): string[] {
    const problems: string[] = [];
    for (const { jobId, job, step, index } of pulumiCommandSteps(wf)) {
        const where = stepLabel(jobId, step, index);
        const env = effectiveEnv(wf, job, step);
        if (env.ARM_USE_OIDC !== "true" && env.ARM_USE_OIDC !== true) {
            problems.push(`${where}: ARM_USE_OIDC is ${JSON.stringify(env.ARM_USE_OIDC)}, expected "true"; azure-native would fall back to the Azure CLI token, which expires during a long up`);
        }
        const login = stepsOf(job).find((s) => actionName(s) === AZURE_LOGIN);
        for (const [variable, input] of ARM_IDS) {
            const value = env[variable];
            if (value === undefined) problems.push(`${where}: no ${variable}; azure-native needs it for OIDC (set it to azure/login's ${input})`);
            else if (login && !sameExpression(value, login.with?.[input])) {
                problems.push(`${where}: ${variable} is ${String(value)}, but azure/login's ${input} is ${String(login.with?.[input])}; both must name the same identity`);
            }
        }
        for (const variable of ARM_OVERRIDES.filter((v) => env[v] !== undefined)) {
            problems.push(`${where}: ${variable} is set; azure-native would use it instead of renewing GitHub's OIDC token`);
        }
    }
    return problems;
}

/**
 * Each job that runs a Pulumi command prepares it: checkout, setup-node, `npm ci`, `npm ci --prefix
 * policy-pack`, azure/login, then azure/use-kubelogin, all before the step; the step gets
 * PULUMI_ACCESS_TOKEN and a stack name `${{ vars.ORG }}/<stack>`.
 */
export function checkPulumiJobs(wf: Workflow): string[] {
    const problems: string[] = [];
    for (const { jobId, job, step, index } of pulumiCommandSteps(wf)) {
        const steps = stepsOf(job);
        const before = (i: number): boolean => i >= 0 && i < index;
        const uses = (action: string): number => steps.findIndex((s) => actionName(s) === action);
        const where = `job ${jobId}`;
        if (!before(uses("actions/checkout"))) problems.push(`${where}: no actions/checkout before Pulumi`);
        if (!before(uses("actions/setup-node"))) problems.push(`${where}: no actions/setup-node before Pulumi`);
        if (!before(indexOfRun(steps, /^npm ci(\s|$)(?!.*--prefix)/))) problems.push(`${where}: no npm ci before Pulumi`);
        if (!before(indexOfRun(steps, /^npm ci\b.*--prefix[ =]policy-pack\b/))) problems.push(`${where}: no npm ci --prefix policy-pack before Pulumi (the pack installs on its own)`);
        const login = uses(AZURE_LOGIN);
        const kubelogin = uses(KUBELOGIN);
        if (!before(login)) problems.push(`${where}: no azure/login before Pulumi`);
        if (!before(kubelogin)) problems.push(`${where}: no azure/use-kubelogin before Pulumi (the kubeconfig signs in through kubelogin)`);
        else {
            if (login >= 0 && kubelogin < login) problems.push(`${where}: kubelogin is installed before azure/login; log in first`);
            const version = steps[kubelogin]?.with?.["kubelogin-version"];
            if (!/^v\d+\.\d+\.\d+$/.test(text(version))) problems.push(`${where}: kubelogin-version ${JSON.stringify(version)} is not one release (vX.Y.Z)`);
        }
        const token = effectiveEnv(wf, job, step).PULUMI_ACCESS_TOKEN;
        if (!isContextExpression(token, ["secrets"])) problems.push(`${where}: PULUMI_ACCESS_TOKEN must be \${{ secrets.X }}`);
        const stackName = step.with?.["stack-name"];
        if (typeof stackName !== "string" || !/^\$\{\{\s*vars\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}\/[^/\s][^/]*$/.test(stackName)) {
            problems.push(`${where}: stack-name must be \${{ vars.ORG }}/<stack>, not ${JSON.stringify(stackName)}`);
        }
    }
    return problems;
}

/**
 * The credential-free gate on `stack` in `steps` before index `limit`: the offline plan
 * (`npm start -- --stack <stack>`), then the policy CLI on its output
 * (`npm run -s policy -- check out/<stack>/resources.json`) with the stack's policy config.
 */
function offlineGateProblems(where: string, steps: Step[], stack: string, limit: number, configFor: (stack: string) => string | undefined, what: string): string[] {
    const problems: string[] = [];
    const s = escapeRegExp(stack);
    const find = (pattern: RegExp): { index: number; line: string } | undefined => {
        for (let i = 0; i < steps.length; i++) {
            const line = runLines(steps[i]).map((l) => resolveForStack(l, stack)).find((l) => pattern.test(l));
            if (line !== undefined) return { index: i, line };
        }
        return undefined;
    };
    const plan = find(new RegExp(`^npm (run )?start\\b.*--stack[ =]${s}(\\s|$)`));
    const check = find(new RegExp(`^npm run( -s)? policy -- check out/${s}/resources\\.json(\\s|$)`));
    if (!plan || plan.index >= limit) problems.push(`${where}: no offline plan of ${stack} (npm start -- --stack ${stack}) before ${what}`);
    if (!check || check.index >= limit) {
        problems.push(`${where}: no policy check on the offline plan of ${stack} (npm run -s policy -- check out/${stack}/resources.json) before ${what}`);
    } else {
        if (plan && check.index < plan.index) problems.push(`${where}: the policy check of ${stack} runs before the offline plan writes its input`);
        const config = /(?:^|\s)--config[ =](\S+)/.exec(check.line)?.[1];
        const expected = configFor(stack);
        if (config !== expected) {
            problems.push(expected !== undefined
                ? `${where}: the offline policy check of ${stack} lacks --config ${expected}${config ? ` (it has ${config})` : ""}`
                : `${where}: the offline policy check of ${stack} has --config ${config}, but policy-pack/config has no ${stack}.json`);
        }
    }
    if (steps.slice(0, limit).some((st) => truthy(st["continue-on-error"]))) {
        problems.push(`${where}: a step before ${what} has continue-on-error, so a failed gate would not stop it`);
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// preview.yml

/** The stack names of the job that runs `pulumi preview` (its `matrix.stack`). */
export function previewMatrixStacks(wf: Workflow): string[] | undefined {
    const preview = pulumiCommandSteps(wf).find(({ step }) => commandOf(step) === "preview");
    const stacks = preview?.job.strategy?.matrix?.stack;
    return Array.isArray(stacks) ? stacks.map(String) : undefined;
}

/** The preview matrix lists exactly the stacks that have a file in stacks/, each once. */
export function checkPreviewMatrix(wf: Workflow, stacks: readonly string[]): string[] {
    const matrix = previewMatrixStacks(wf);
    if (!matrix) return ["no pulumi preview job with a matrix.stack list"];
    const problems: string[] = [];
    const dupes = matrix.filter((s, i) => matrix.indexOf(s) !== i);
    if (dupes.length > 0) problems.push(`matrix.stack repeats ${dupes.join(", ")}`);
    const missing = stacks.filter((s) => !matrix.includes(s));
    const extra = matrix.filter((s) => !stacks.includes(s));
    if (missing.length > 0) problems.push(`matrix.stack lacks ${missing.join(", ")} (stacks/ has a file for each)`);
    if (extra.length > 0) problems.push(`matrix.stack has ${extra.join(", ")}, which stacks/ has no file for`);
    return problems;
}

/** A run line that runs the engine tier (possibly after variable assignments). */
const ENGINE_RUN = /(^|\s)npm run( -s)? test:engine(\s|$)/;

/** Jobs with a run line that runs the engine tier. */
function engineJobs(wf: Workflow): string[] {
    return jobEntries(wf).filter(([, job]) => indexOfRun(stepsOf(job), ENGINE_RUN) >= 0).map(([jobId]) => jobId);
}

/**
 * preview.yml: runs on pull requests; a new push cancels the superseded run (a concurrency group
 * per PR with cancel-in-progress); `npm test` runs once, in a job before the matrix; each matrix
 * job runs the offline plan and the policy CLI on it, then `pulumi preview` commented on the PR,
 * only after the engine tier passed.
 */
export function checkPreviewWorkflow(wf: Workflow, configFor: (stack: string) => string | undefined = policyConfigFor): string[] {
    const problems: string[] = [];
    if (!("pull_request" in triggers(wf))) problems.push("preview does not run on pull_request");
    const c = concurrencyOf(wf.concurrency);
    if (!c) problems.push("preview has no workflow concurrency group (superseded runs keep running)");
    else {
        if (!c.cancel) problems.push("preview concurrency lacks cancel-in-progress: true (superseded runs keep running)");
        if (!c.group || !/github\.(event\.pull_request\.number|head_ref)/.test(c.group)) {
            problems.push(`preview concurrency group ${JSON.stringify(c.group)} is not per pull request`);
        }
    }
    const testRuns = jobEntries(wf).flatMap(([jobId, job]) => stepsOf(job).filter((s) => runLines(s).some((l) => /^npm (run )?test(\s|$)/.test(l))).map(() => jobId));
    if (testRuns.length !== 1) problems.push(`npm test must run exactly once, found ${testRuns.length} (${testRuns.join(", ") || "none"})`);
    const engine = engineJobs(wf);
    const previews = pulumiCommandSteps(wf).filter(({ step }) => commandOf(step) === "preview");
    if (previews.length !== 1) problems.push(`expected one pulumi preview step, found ${previews.length}`);
    for (const { jobId, job, step, index } of previews) {
        const where = `job ${jobId}`;
        const testJob = testRuns[0];
        if (testJob !== undefined && testJob === jobId) problems.push(`${where}: npm test runs in the matrix job (once per stack); run it once in its own job`);
        if (testJob !== undefined && testJob !== jobId && !needsOf(job).includes(testJob)) problems.push(`${where}: does not need the test job ${testJob}`);
        for (const e of engine.filter((e) => e !== jobId && !needsOf(job).includes(e))) problems.push(`${where}: does not need the engine job ${e}; the credentialed preview should run only after it passed`);
        if (step.with?.["stack-name"] !== undefined && !/\/\$\{\{\s*matrix\.stack\s*\}\}$/.test(String(step.with["stack-name"]))) {
            problems.push(`${where}: stack-name must end in /\${{ matrix.stack }}`);
        }
        if (!truthy(step.with?.["comment-on-pr"])) problems.push(`${where}: pulumi preview without comment-on-pr: true`);
        if (step.with?.["github-token"] === undefined) problems.push(`${where}: pulumi preview without github-token (needed to comment)`);
        for (const stack of stacksOfStep(job, step)) {
            problems.push(...offlineGateProblems(where, stepsOf(job), stack, index, configFor, "pulumi preview"));
        }
    }
    return problems;
}

/**
 * The engine tier in preview.yml (issue 12): one job installs the official Pulumi CLI with
 * pulumi/actions and no command (src/main.ts: install only, the CLI's directory added to PATH),
 * then runs `npm run test:engine` with AKS_PLATFORM_PULUMI_CLI naming that binary. The job holds
 * no credential at all, so it runs for pull requests from forks too: no secrets, no OIDC token,
 * no `if:`.
 */
export function checkEngineTier(wf: Workflow): string[] {
    const jobs = engineJobs(wf);
    if (jobs.length !== 1) return [`npm run test:engine must run in exactly one job, found ${jobs.length} (${jobs.join(", ") || "none"})`];
    const jobId = jobs[0];
    const job = wf.jobs[jobId];
    const steps = stepsOf(job);
    const where = `job ${jobId}`;
    const problems: string[] = [];
    const engine = indexOfRun(steps, ENGINE_RUN);
    const before = (i: number): boolean => i >= 0 && i < engine;
    const install = steps.findIndex((s) => actionName(s) === PULUMI_ACTION && commandOf(s) === undefined);
    if (!before(install)) problems.push(`${where}: no pulumi/actions step without a command (install only) before test:engine`);
    if (!before(indexOfRun(steps, /^npm ci(\s|$)(?!.*--prefix)/))) problems.push(`${where}: no npm ci before test:engine`);
    if (!before(indexOfRun(steps, /^npm ci\b.*--prefix[ =]policy-pack\b/))) problems.push(`${where}: no npm ci --prefix policy-pack before test:engine (the CLI runs the pack from its own node_modules)`);
    const engineStep = steps[engine];
    const cli = new RegExp(`(^|\\s)${ENGINE_CLI_VARIABLE}="?\\$\\((command -v|which) pulumi\\)"?\\s`);
    if (!engineStep || !runLines(engineStep).some((l) => cli.test(l))) {
        problems.push(`${where}: test:engine runs without ${ENGINE_CLI_VARIABLE}="$(command -v pulumi)"; it would build the CLI from Go modules instead of using the official release`);
    }
    if (steps.some((s) => actionName(s) === PULUMI_ACTION && commandOf(s) !== undefined)) problems.push(`${where}: also runs a Pulumi command; keep the engine job free of stacks and credentials`);
    const p = job.permissions;
    if (!isRecord(p) || Object.entries(p).some(([scope, level]) => (scope === "contents" ? level !== "read" : level !== "none"))) {
        problems.push(`${where}: permissions must be contents: read only (no OIDC token for a step that runs pull-request code)`);
    }
    if (/\$\{\{[^}]*\bsecrets\./.test(JSON.stringify(job))) problems.push(`${where}: reads a secret; the engine tier must run without any (pull requests from forks get none)`);
    if (job.if !== undefined) problems.push(`${where}: has if: ${job.if}; the engine tier must run for every pull request, forks included`);
    for (const i of [install, engine].filter((i) => i >= 0)) {
        if (steps[i].if !== undefined) problems.push(`${stepLabel(jobId, steps[i], i)}: has if: ${steps[i].if}; it must run for every pull request, forks included`);
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// deploy.yml

export interface DeployJob {
    jobId: string;
    stack: string;
    environment?: string;
    needs: string[];
    refresh: boolean;
    concurrency?: { group?: string; cancel: boolean };
}

/** The jobs that run `pulumi up`, with their stack (from stack-name) and settings. */
export function deployJobs(wf: Workflow): DeployJob[] {
    return pulumiCommandSteps(wf)
        .filter(({ step }) => isUp(step))
        .map(({ jobId, job, step }) => ({
            jobId,
            stack: String(step.with?.["stack-name"] ?? "").split("/").pop() ?? "",
            environment: environmentName(job),
            needs: needsOf(job),
            refresh: truthy(step.with?.refresh),
            concurrency: concurrencyOf(job.concurrency),
        }));
}

/**
 * deploy.yml: runs on push to main (and by hand); one `pulumi up` with refresh per stack, in the
 * given order, each job needing the previous stack's job and running in the GitHub environment of
 * its stack; a concurrency group per stack that never cancels a running up.
 */
export function checkDeployWorkflow(wf: Workflow, order: readonly string[] = PROMOTION_ORDER): string[] {
    const problems: string[] = [];
    const on = triggers(wf);
    const push = on.push;
    const branches = isRecord(push) && Array.isArray(push.branches) ? push.branches : undefined;
    if (!("push" in on)) problems.push("deploy does not run on push");
    else if (!branches || branches.length !== 1 || branches[0] !== "main") problems.push("deploy must run on push to main only");
    if (!("workflow_dispatch" in on)) problems.push("deploy cannot be started by hand (workflow_dispatch)");
    if ("pull_request" in on || "pull_request_target" in on) problems.push("deploy must never run on pull requests");

    const jobs = deployJobs(wf);
    const byStack = new Map<string, DeployJob[]>();
    for (const j of jobs) byStack.set(j.stack, [...(byStack.get(j.stack) ?? []), j]);
    for (const [stack, list] of byStack) {
        if (!order.includes(stack)) problems.push(`job ${list.map((j) => j.jobId).join(", ")} deploys ${stack}, which is not in the promotion order ${order.join(" -> ")}`);
        if (list.length > 1) problems.push(`stack ${stack} is deployed by ${list.length} jobs (${list.map((j) => j.jobId).join(", ")})`);
    }
    let previous: DeployJob | undefined;
    for (const stack of order) {
        const job = byStack.get(stack)?.[0];
        if (!job) {
            problems.push(`no job runs pulumi up for ${stack}`);
            previous = undefined;
            continue;
        }
        const where = `job ${job.jobId} (${stack})`;
        if (!job.refresh) problems.push(`${where}: pulumi up without refresh: true`);
        if (job.environment !== stack) problems.push(`${where}: environment is ${JSON.stringify(job.environment)}, expected ${stack}`);
        if (previous) {
            if (!job.needs.includes(previous.jobId)) problems.push(`${where}: does not need ${previous.jobId}; ${stack} must deploy only after ${previous.stack} succeeded`);
        } else if (stack !== order[0]) {
            problems.push(`${where}: cannot follow a missing deploy of the stack before it`);
        }
        const later = order.slice(order.indexOf(stack) + 1).flatMap((s) => byStack.get(s) ?? []).map((j) => j.jobId);
        const early = job.needs.filter((n) => later.includes(n));
        if (early.length > 0) problems.push(`${where}: needs ${early.join(", ")}, which deploys a later stack`);
        if (!job.concurrency) problems.push(`${where}: no concurrency group; two ups of ${stack} could overlap`);
        else {
            if (!job.concurrency.group || !job.concurrency.group.includes(stack)) problems.push(`${where}: concurrency group ${JSON.stringify(job.concurrency.group)} is not per stack`);
            if (job.concurrency.cancel) problems.push(`${where}: cancel-in-progress would cancel a running pulumi up`);
        }
        previous = job;
    }
    const groups = jobs.map((j) => j.concurrency?.group).filter((g): g is string => g !== undefined);
    if (new Set(groups).size !== groups.length) problems.push("two deploy jobs share a concurrency group");
    const top = concurrencyOf(wf.concurrency);
    if (top?.cancel) problems.push("workflow concurrency cancels in progress: a running pulumi up would be cancelled");
    const deployIds = new Set(jobs.map((j) => j.jobId));
    for (const [jobId, job] of jobEntries(wf)) {
        if (!deployIds.has(jobId) && concurrencyOf(job.concurrency)?.cancel) problems.push(`job ${jobId}: cancel-in-progress: true would cancel a running deploy`);
    }
    return problems;
}

/**
 * Policies are checked before `pulumi up` changes anything, in the same job (same commit):
 * pulumi/actions runs `up` through the Automation API, which passes `--skip-preview`
 * (pulumi/pulumi sdk/nodejs/automation/stack.ts, Stack.up, in the @pulumi/pulumi 3.206.0 that
 * pulumi/actions v7.0.0 bundles), and the engine runs stack policies only after every step has
 * executed (pulumi/pulumi pkg/resource/deploy/deployment_executor.go, Execute, then
 * step_generator.go AnalyzeResources). So each up job first runs the offline plan and the policy
 * CLI on it (no credentials), then `pulumi preview` with the same pack and config (real values;
 * a mandatory violation fails the preview before anything changed); no step before the up may
 * continue on error, and the up may not run after a failure.
 */
export function checkPolicyBeforeUp(wf: Workflow, configFor: (stack: string) => string | undefined = policyConfigFor): string[] {
    const problems: string[] = [];
    for (const { jobId, job, step, index } of pulumiCommandSteps(wf).filter(({ step }) => isUp(step))) {
        const where = `job ${jobId}`;
        const steps = stepsOf(job);
        for (const stack of stacksOfStep(job, step)) {
            problems.push(...offlineGateProblems(where, steps, stack, index, configFor, "pulumi up"));
        }
        const preview = steps.slice(0, index).find((s) => actionName(s) === PULUMI_ACTION && commandOf(s) === "preview");
        if (!preview) {
            problems.push(`${where}: no pulumi preview with the policy pack before pulumi up (pulumi/actions runs up with --skip-preview, and stack policies run only after the changes are applied)`);
        } else {
            if (preview.with?.policyPacks !== "policy-pack") problems.push(`${where}: the preview before pulumi up lacks policyPacks: policy-pack`);
            if (!sameExpression(preview.with?.["stack-name"], step.with?.["stack-name"])) {
                problems.push(`${where}: the preview before pulumi up is of ${String(preview.with?.["stack-name"])}, the up of ${String(step.with?.["stack-name"])}`);
            }
            if (text(preview.with?.policyPackConfigs) !== text(step.with?.policyPackConfigs)) {
                problems.push(`${where}: the preview before pulumi up has policyPackConfigs ${JSON.stringify(preview.with?.policyPackConfigs)}, the up ${JSON.stringify(step.with?.policyPackConfigs)}`);
            }
        }
        if (typeof step.if === "string" && /\b(always|failure|cancelled)\(\)/.test(step.if)) {
            problems.push(`${where}: pulumi up has if: ${step.if}; it would run after a failed policy check`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// docs/ci.md

/**
 * docs/ci.md names the same releases the workflows pin: its table row per action (`| \`owner/name\`
 * | tag | \`sha\` |`) equals action-inputs.ts, and the Pulumi CLI version it names ("currently
 * x.y.z") equals the version file.
 */
export function checkDocsPins(doc: string, pulumiVersion: string, pinned: Readonly<Record<string, PinnedAction>> = PINNED_ACTIONS): string[] {
    const problems: string[] = [];
    const rows = new Map<string, { tag: string; sha: string }>();
    for (const m of doc.matchAll(/^\|\s*`([\w.-]+\/[\w.-]+)`\s*\|\s*(v[\d.]+)\s*\|\s*`([0-9a-f]{40})`\s*\|\s*$/gm)) {
        rows.set(m[1].toLowerCase(), { tag: m[2], sha: m[3] });
    }
    for (const [name, entry] of Object.entries(pinned)) {
        const row = rows.get(name);
        if (!row) problems.push(`docs/ci.md: no row for ${entry.repo} in the pinned versions table`);
        else if (row.tag !== entry.tag || row.sha !== entry.sha) problems.push(`docs/ci.md: ${entry.repo} is ${row.tag} ${row.sha}, the workflows pin ${entry.tag} ${entry.sha}`);
    }
    for (const name of rows.keys()) if (!pinned[name]) problems.push(`docs/ci.md: lists ${name}, which the workflows do not pin`);
    const named = /\.github\/pulumi-version`[^.]*?currently (\d+\.\d+\.\d+)/.exec(doc)?.[1];
    if (named !== pulumiVersion.trim()) problems.push(`docs/ci.md: names Pulumi CLI ${named ?? "no version"}, ${PULUMI_VERSION_FILE} has ${pulumiVersion.trim()}`);
    return problems;
}
