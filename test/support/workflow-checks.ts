/**
 * Checks of the GitHub Actions workflows (.github/workflows/preview.yml and deploy.yml).
 *
 * Each check takes a parsed workflow and returns a list of problems (empty: fine), so the tests
 * run the same functions on the real files and on broken copies of them.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

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

/** The order stacks are promoted in: each deploys only after the one before succeeded. */
export const PROMOTION_ORDER: readonly string[] = ["dev", "staging", "prod"];

/** Permissions a workflow or job may grant, with the only level allowed for each. */
export const ALLOWED_PERMISSIONS: Readonly<Record<string, string>> = {
    contents: "read",
    "id-token": "write",
    "pull-requests": "write",
};

const PULUMI_ACTION = "pulumi/actions";
const AZURE_LOGIN = "azure/login";
const KUBELOGIN = "azure/use-kubelogin";

/** Reads and parses a workflow file; throws when it is not a mapping with `jobs`. */
export function loadWorkflow(file: string): Workflow {
    const doc: unknown = parseYaml(fs.readFileSync(file, "utf8"));
    if (!isRecord(doc) || !isRecord(doc.jobs)) throw new Error(`${file}: not a workflow (no jobs mapping)`);
    return doc as unknown as Workflow;
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

/** Every step of the workflow that uses an action, with where it is. */
export function actionSteps(wf: Workflow, action: string): { jobId: string; job: Job; step: Step; index: number }[] {
    return jobEntries(wf).flatMap(([jobId, job]) => stepsOf(job)
        .map((step, index) => ({ jobId, job, step, index }))
        .filter((s) => actionName(s.step) === action));
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

// ---------------------------------------------------------------------------------------------
// Checks shared by both workflows

/**
 * Every `uses:` names a major version (`@v4`, `@v4.1.0`) or a full commit SHA; never a branch.
 * Local actions (`./...`) are fine.
 */
export function checkPinnedActions(wf: Workflow): string[] {
    const problems: string[] = [];
    for (const [jobId, job] of jobEntries(wf)) {
        stepsOf(job).forEach((step, i) => {
            if (typeof step.uses !== "string" || step.uses.startsWith("./")) return;
            const ref = step.uses.split("@")[1];
            if (ref === undefined || !(/^v\d+(\.\d+){0,2}$/.test(ref) || /^[0-9a-f]{40}$/.test(ref))) {
                problems.push(`${stepLabel(jobId, step, i)}: ${step.uses} is not pinned to a major version or a commit SHA`);
            }
        });
    }
    return problems;
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
        const text = String(value);
        for (const [pattern, what] of SECRET_VALUE) {
            if (pattern.test(text)) problems.push(`${where}: looks like ${what} in plain text`);
        }
        if (key === undefined) return;
        if (key === "github-token") {
            if (!isContextExpression(text, ["secrets"]) && !/^\$\{\{\s*github\.token\s*\}\}$/.test(text.trim())) {
                problems.push(`${where}: must be \${{ secrets.GITHUB_TOKEN }} or \${{ github.token }}`);
            }
        } else if (ID_KEY.test(key)) {
            if (!isContextExpression(text, ["vars", "secrets"])) problems.push(`${where}: must be a \${{ vars.X }} or \${{ secrets.X }} expression, not a literal`);
        } else if (SECRET_KEY.test(key)) {
            if (!isContextExpression(text, ["secrets"])) problems.push(`${where}: a credential must come from \${{ secrets.X }}, not a literal or a plain variable`);
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

/** Every pulumi/actions step applies the policy pack: `policyPacks: policy-pack`. */
export function checkPolicyPacks(wf: Workflow): string[] {
    const steps = actionSteps(wf, PULUMI_ACTION);
    const problems = steps
        .filter(({ step }) => !isRecord(step.with) || step.with.policyPacks !== "policy-pack")
        .map(({ jobId, step, index }) => `${stepLabel(jobId, step, index)}: pulumi/actions without policyPacks: policy-pack`);
    if (steps.length === 0) problems.push("no pulumi/actions step");
    return problems;
}

/**
 * Each job that runs Pulumi prepares it: Node 22 with the npm cache, `npm ci`, `npm ci --prefix
 * policy-pack`, azure/login, then azure/use-kubelogin, all before the pulumi/actions step; the
 * step gets PULUMI_ACCESS_TOKEN and a stack name `${{ vars.ORG }}/<stack>`.
 */
export function checkPulumiJobs(wf: Workflow): string[] {
    const problems: string[] = [];
    for (const { jobId, job, step, index } of actionSteps(wf, PULUMI_ACTION)) {
        const steps = stepsOf(job);
        const before = (i: number): boolean => i >= 0 && i < index;
        const uses = (action: string): number => steps.findIndex((s) => actionName(s) === action);
        const where = `job ${jobId}`;
        if (!before(uses("actions/checkout"))) problems.push(`${where}: no actions/checkout before Pulumi`);
        const nodeIndex = uses("actions/setup-node");
        const node = steps[nodeIndex];
        if (!before(nodeIndex) || !node) problems.push(`${where}: no actions/setup-node before Pulumi`);
        else {
            if (String(node.with?.["node-version"]) !== "22") problems.push(`${where}: setup-node must use Node 22`);
            if (node.with?.cache !== "npm") problems.push(`${where}: setup-node must cache npm`);
        }
        if (!before(indexOfRun(steps, /^npm ci(\s|$)(?!.*--prefix)/))) problems.push(`${where}: no npm ci before Pulumi`);
        if (!before(indexOfRun(steps, /^npm ci\b.*--prefix[ =]policy-pack\b/))) problems.push(`${where}: no npm ci --prefix policy-pack before Pulumi (the pack installs on its own)`);
        const login = uses(AZURE_LOGIN);
        const kubelogin = uses(KUBELOGIN);
        if (!before(login)) problems.push(`${where}: no azure/login before Pulumi`);
        if (!before(kubelogin)) problems.push(`${where}: no azure/use-kubelogin before Pulumi (the kubeconfig signs in through kubelogin)`);
        else if (login >= 0 && kubelogin < login) problems.push(`${where}: kubelogin is installed before azure/login; log in first`);
        const token = step.env?.PULUMI_ACCESS_TOKEN ?? job.env?.PULUMI_ACCESS_TOKEN ?? wf.env?.PULUMI_ACCESS_TOKEN;
        if (!isContextExpression(token, ["secrets"])) problems.push(`${where}: PULUMI_ACCESS_TOKEN must be \${{ secrets.X }}`);
        const stackName = step.with?.["stack-name"];
        if (typeof stackName !== "string" || !/^\$\{\{\s*vars\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}\/[^/\s][^/]*$/.test(stackName)) {
            problems.push(`${where}: stack-name must be \${{ vars.ORG }}/<stack>, not ${JSON.stringify(stackName)}`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// preview.yml

/** The stack names of the job that runs `pulumi preview` (its `matrix.stack`). */
export function previewMatrixStacks(wf: Workflow): string[] | undefined {
    const preview = actionSteps(wf, PULUMI_ACTION).find(({ step }) => step.with?.command === "preview");
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

/**
 * preview.yml: runs on pull requests; a new push cancels the superseded run (a concurrency group
 * per PR with cancel-in-progress); `npm test` runs once, in a job before the matrix; each matrix
 * job runs the offline plan and the policy CLI on it, then `pulumi preview` commented on the PR.
 */
export function checkPreviewWorkflow(wf: Workflow): string[] {
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
    const testRuns = jobEntries(wf).flatMap(([jobId, job]) => stepsOf(job).filter((s) => runLines(s).some((l) => /^npm (run )?test\b/.test(l))).map(() => jobId));
    if (testRuns.length !== 1) problems.push(`npm test must run exactly once, found ${testRuns.length} (${testRuns.join(", ") || "none"})`);
    const previews = actionSteps(wf, PULUMI_ACTION).filter(({ step }) => step.with?.command === "preview");
    if (previews.length !== 1) problems.push(`expected one pulumi preview step, found ${previews.length}`);
    for (const { jobId, job, step, index } of previews) {
        const where = `job ${jobId}`;
        const testJob = testRuns[0];
        if (testJob !== undefined && testJob === jobId) problems.push(`${where}: npm test runs in the matrix job (once per stack); run it once in its own job`);
        if (testJob !== undefined && testJob !== jobId && !needsOf(job).includes(testJob)) problems.push(`${where}: does not need the test job ${testJob}`);
        if (step.with?.["stack-name"] !== undefined && !/\/\$\{\{\s*matrix\.stack\s*\}\}$/.test(String(step.with["stack-name"]))) {
            problems.push(`${where}: stack-name must end in /\${{ matrix.stack }}`);
        }
        if (!truthy(step.with?.["comment-on-pr"])) problems.push(`${where}: pulumi preview without comment-on-pr: true`);
        if (step.with?.["github-token"] === undefined) problems.push(`${where}: pulumi preview without github-token (needed to comment)`);
        const steps = stepsOf(job);
        const plan = indexOfRun(steps, /^npm (run )?start\b.*--stack[ =]\$\{\{\s*matrix\.stack\s*\}\}/);
        const check = indexOfRun(steps, /^npm run( -s)? policy -- check out\/\$\{\{\s*matrix\.stack\s*\}\}\/resources\.json/);
        if (plan < 0) problems.push(`${where}: no offline plan (npm start -- --stack \${{ matrix.stack }})`);
        if (check < 0) problems.push(`${where}: no policy check on the offline plan (npm run -s policy -- check out/\${{ matrix.stack }}/resources.json)`);
        else if (plan >= 0 && check < plan) problems.push(`${where}: the policy check runs before the offline plan writes its input`);
        if (check >= 0 && check > index) problems.push(`${where}: the credential-free gate should run before pulumi preview`);
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
    return actionSteps(wf, PULUMI_ACTION)
        .filter(({ step }) => step.with?.command === "up" || step.with?.command === "update")
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
