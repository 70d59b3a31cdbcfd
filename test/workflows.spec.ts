/**
 * The GitHub Actions workflows do what docs/ci.md promises: every stack previewed with the policy
 * pack on pull requests, deployed dev -> staging -> prod with refresh, OIDC only, least permissions.
 * Every check runs on the real files and on broken copies, so a broken workflow fails here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    actionSteps,
    checkDeployWorkflow,
    checkNoSecretLiterals,
    checkPermissions,
    checkPinnedActions,
    checkPolicyPacks,
    checkPreviewMatrix,
    checkPreviewWorkflow,
    checkPulumiJobs,
    cloneWorkflow,
    deployJobs,
    Job,
    loadWorkflow,
    previewMatrixStacks,
    Step,
    stackFiles,
    Workflow,
    WORKFLOWS_DIR,
} from "./support/workflow-checks";

const preview = loadWorkflow(path.join(WORKFLOWS_DIR, "preview.yml"));
const deploy = loadWorkflow(path.join(WORKFLOWS_DIR, "deploy.yml"));
const STACKS = stackFiles();

function must<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`test setup: ${what} not found`);
    return value;
}

/** A broken copy of a workflow: `change` edits the copy, the original stays intact. */
function broken(wf: Workflow, change: (copy: Workflow) => void): Workflow {
    const copy = cloneWorkflow(wf);
    change(copy);
    return copy;
}

/** The first step in the copy that uses `action` (matching on `with.command` when given). */
function stepOf(wf: Workflow, action: string, command?: string): { job: Job; step: Step; jobId: string } {
    return must(actionSteps(wf, action).find((s) => command === undefined || s.step.with?.command === command), `${action} ${command ?? ""}`);
}

/** The step of job `jobId` that uses `action`. */
function stepIn(wf: Workflow, jobId: string, action: string): Step {
    return must(job(wf, jobId).steps?.find((s) => s.uses?.startsWith(`${action}@`)), `${action} in job ${jobId}`);
}

function inputs(step: Step): Record<string, unknown> {
    return must(step.with, "step inputs");
}

function job(wf: Workflow, id: string): Job {
    return must(wf.jobs[id], `job ${id}`);
}

/** Asserts that `problems` has at least one entry matching `pattern`. */
function reports(problems: string[], pattern: RegExp): void {
    assert.ok(problems.length > 0, `expected a problem matching ${pattern}, got none`);
    assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join("\n")}`);
}

describe("GitHub Actions workflows", () => {
    it("stacks/ has the three stacks the workflows promote", () => {
        assert.deepStrictEqual(STACKS, ["dev", "prod", "staging"]);
    });

    describe("preview.yml (the real file)", () => {
        it("previews exactly the stacks in stacks/", () => {
            assert.deepStrictEqual(checkPreviewMatrix(preview, STACKS), []);
            assert.deepStrictEqual([...must(previewMatrixStacks(preview), "matrix")].sort(), STACKS);
        });

        it("runs on pull requests, cancels superseded runs, tests once, gates offline before previewing", () => {
            assert.deepStrictEqual(checkPreviewWorkflow(preview), []);
        });

        it("applies the policy pack in every pulumi/actions step", () => {
            assert.deepStrictEqual(checkPolicyPacks(preview), []);
        });

        it("installs both packages, logs in with OIDC and kubelogin before Pulumi, with the org from a variable", () => {
            assert.deepStrictEqual(checkPulumiJobs(preview), []);
        });

        it("has no secret in plain text and no client secret", () => {
            assert.deepStrictEqual(checkNoSecretLiterals(preview), []);
        });

        it("asks for contents read, id-token write and pull-requests write only", () => {
            assert.deepStrictEqual(checkPermissions(preview, { pullRequests: true }), []);
        });

        it("pins every action to a major version or a SHA", () => {
            assert.deepStrictEqual(checkPinnedActions(preview), []);
        });
    });

    describe("deploy.yml (the real file)", () => {
        it("runs pulumi up with refresh on dev, then staging, then prod, each in its environment", () => {
            assert.deepStrictEqual(checkDeployWorkflow(deploy), []);
            const jobs = deployJobs(deploy);
            assert.deepStrictEqual(jobs.map((j) => [j.stack, j.environment, j.refresh]), [
                ["dev", "dev", true],
                ["staging", "staging", true],
                ["prod", "prod", true],
            ]);
        });

        it("deploys every stack in stacks/", () => {
            assert.deepStrictEqual(deployJobs(deploy).map((j) => j.stack).sort(), STACKS);
        });

        it("applies the policy pack to every up", () => {
            assert.deepStrictEqual(checkPolicyPacks(deploy), []);
        });

        it("installs both packages, logs in with OIDC and kubelogin before Pulumi", () => {
            assert.deepStrictEqual(checkPulumiJobs(deploy), []);
        });

        it("has no secret in plain text and no client secret", () => {
            assert.deepStrictEqual(checkNoSecretLiterals(deploy), []);
        });

        it("asks for contents read and id-token write only", () => {
            assert.deepStrictEqual(checkPermissions(deploy, { pullRequests: false }), []);
        });

        it("pins every action to a major version or a SHA", () => {
            assert.deepStrictEqual(checkPinnedActions(deploy), []);
        });
    });

    describe("broken copies are caught", () => {
        describe("policy pack", () => {
            it("preview without policyPacks", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions").step).policyPacks; });
                reports(checkPolicyPacks(wf), /job preview .*without policyPacks/);
            });

            it("prod up with another policy pack path", () => {
                const wf = broken(deploy, (c) => { inputs(stepIn(c, "prod", "pulumi/actions")).policyPacks = "./elsewhere"; });
                const problems = checkPolicyPacks(wf);
                reports(problems, /job prod /);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });

            it("a workflow with no Pulumi step at all", () => {
                const wf = broken(deploy, (c) => {
                    for (const j of Object.values(c.jobs)) j.steps = (j.steps ?? []).filter((s) => !s.uses?.startsWith("pulumi/actions"));
                });
                reports(checkPolicyPacks(wf), /no pulumi\/actions step/);
            });
        });

        describe("stack matrix", () => {
            it("a stack in the matrix without a stack file", () => {
                const wf = broken(preview, (c) => { stepOf(c, "pulumi/actions").job.strategy = { matrix: { stack: ["dev", "staging", "prod", "qa"] } }; });
                reports(checkPreviewMatrix(wf, STACKS), /qa, which stacks\/ has no file for/);
            });

            it("a stack file the matrix does not preview", () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
                try {
                    for (const s of [...STACKS, "qa"]) fs.writeFileSync(path.join(dir, `Pulumi.${s}.yaml`), "config: {}\n");
                    fs.writeFileSync(path.join(dir, "README.md"), "not a stack\n");
                    const stacks = stackFiles(dir);
                    assert.deepStrictEqual(stacks, ["dev", "prod", "qa", "staging"]);
                    reports(checkPreviewMatrix(preview, stacks), /lacks qa/);
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });

            it("a stack dropped from the matrix, or listed twice", () => {
                const dropped = broken(preview, (c) => { stepOf(c, "pulumi/actions").job.strategy = { matrix: { stack: ["dev", "staging"] } }; });
                reports(checkPreviewMatrix(dropped, STACKS), /lacks prod/);
                const twice = broken(preview, (c) => { stepOf(c, "pulumi/actions").job.strategy = { matrix: { stack: ["dev", "staging", "prod", "dev"] } }; });
                reports(checkPreviewMatrix(twice, STACKS), /repeats dev/);
            });
        });

        describe("secrets", () => {
            it("azure/login with a client secret or creds JSON", () => {
                const secret = broken(preview, (c) => { inputs(stepOf(c, "azure/login").step)["client-secret"] = "${{ secrets.AZURE_CLIENT_SECRET }}"; });
                reports(checkNoSecretLiterals(secret), /azure\/login has client-secret/);
                const creds = broken(deploy, (c) => { inputs(stepOf(c, "azure/login").step).creds = "${{ secrets.AZURE_CREDENTIALS }}"; });
                reports(checkNoSecretLiterals(creds), /azure\/login has creds/);
            });

            it("a Pulumi access token written into the workflow", () => {
                const wf = broken(deploy, (c) => {
                    stepOf(c, "pulumi/actions").step.env = { PULUMI_ACCESS_TOKEN: `pul-${"0123456789abcdef".repeat(2)}01234567` };
                });
                const problems = checkNoSecretLiterals(wf);
                reports(problems, /PULUMI_ACCESS_TOKEN: looks like a Pulumi access token/);
                reports(problems, /PULUMI_ACCESS_TOKEN: a credential must come from/);
                reports(checkPulumiJobs(wf), /PULUMI_ACCESS_TOKEN must be/);
            });

            it("a token from a plain repository variable (vars are not secret)", () => {
                const wf = broken(preview, (c) => { stepOf(c, "pulumi/actions").step.env = { PULUMI_ACCESS_TOKEN: "${{ vars.PULUMI_ACCESS_TOKEN }}" }; });
                reports(checkNoSecretLiterals(wf), /credential must come from/);
            });

            it("an Azure id hard-coded instead of a variable", () => {
                const wf = broken(deploy, (c) => { inputs(stepOf(c, "azure/login").step)["client-id"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"; });
                reports(checkNoSecretLiterals(wf), /client-id: must be a \$\{\{ vars\.X \}\}/);
            });

            it("azure/login without its tenant", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "azure/login").step)["tenant-id"]; });
                reports(checkNoSecretLiterals(wf), /lacks tenant-id/);
            });

            it("a GitHub token pasted as github-token", () => {
                const wf = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions").step)["github-token"] = `ghp_${"a".repeat(36)}`; });
                const problems = checkNoSecretLiterals(wf);
                reports(problems, /looks like a GitHub token/);
                reports(problems, /github-token: must be/);
            });
        });

        describe("permissions", () => {
            it("contents: write, or a scope nobody needs", () => {
                const contents = broken(preview, (c) => { c.permissions = { contents: "write", "id-token": "write", "pull-requests": "write" }; });
                reports(checkPermissions(contents, { pullRequests: true }), /contents: write is broader/);
                const actions = broken(deploy, (c) => { c.permissions = { contents: "read", "id-token": "write", actions: "write" }; });
                reports(checkPermissions(actions, { pullRequests: false }), /actions: write is not needed/);
            });

            it("write-all, or no permissions at all", () => {
                const all = broken(deploy, (c) => { c.permissions = "write-all"; });
                reports(checkPermissions(all, { pullRequests: false }), /grants everything/);
                const none = broken(deploy, (c) => { delete c.permissions; });
                reports(checkPermissions(none, { pullRequests: false }), /no top-level permissions/);
            });

            it("no id-token: write, at the top or in a job that logs in", () => {
                const top = broken(preview, (c) => { c.permissions = { contents: "read", "pull-requests": "write" }; });
                reports(checkPermissions(top, { pullRequests: true }), /lack id-token: write/);
                const inJob = broken(deploy, (c) => { job(c, "prod").permissions = { contents: "read" }; });
                reports(checkPermissions(inJob, { pullRequests: false }), /job prod: logs in to Azure without id-token: write/);
            });

            it("pull-requests: write where nothing comments", () => {
                const wf = broken(deploy, (c) => { c.permissions = { contents: "read", "id-token": "write", "pull-requests": "write" }; });
                reports(checkPermissions(wf, { pullRequests: false }), /pull-requests: write is not needed/);
            });
        });

        describe("preview behaviour", () => {
            it("superseded runs not cancelled, or one group for every PR", () => {
                const keep = broken(preview, (c) => { c.concurrency = { group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": false }; });
                reports(checkPreviewWorkflow(keep), /cancel-in-progress: true/);
                const shared = broken(preview, (c) => { c.concurrency = { group: "preview", "cancel-in-progress": true }; });
                reports(checkPreviewWorkflow(shared), /not per pull request/);
                const none = broken(preview, (c) => { delete c.concurrency; });
                reports(checkPreviewWorkflow(none), /no workflow concurrency group/);
            });

            it("npm test inside the matrix job (once per stack)", () => {
                const wf = broken(preview, (c) => {
                    const matrixJob = stepOf(c, "pulumi/actions").job;
                    must(matrixJob.steps, "steps").splice(3, 0, { run: "npm test" });
                    delete c.jobs.test;
                    delete matrixJob.needs;
                });
                reports(checkPreviewWorkflow(wf), /npm test runs in the matrix job/);
                const twice = broken(preview, (c) => { must(stepOf(c, "pulumi/actions").job.steps, "steps").splice(3, 0, { run: "npm test" }); });
                reports(checkPreviewWorkflow(twice), /npm test must run exactly once, found 2/);
            });

            it("no offline plan or no policy CLI on it", () => {
                const noPlan = broken(preview, (c) => {
                    const j = stepOf(c, "pulumi/actions").job;
                    j.steps = (j.steps ?? []).filter((s) => !s.run?.startsWith("npm start"));
                });
                reports(checkPreviewWorkflow(noPlan), /no offline plan/);
                const noCheck = broken(preview, (c) => {
                    const j = stepOf(c, "pulumi/actions").job;
                    j.steps = (j.steps ?? []).filter((s) => !s.run?.includes("policy -- check"));
                });
                reports(checkPreviewWorkflow(noCheck), /no policy check on the offline plan/);
            });

            it("no PR comment, a fixed stack name, or not on pull requests", () => {
                const noComment = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions").step)["comment-on-pr"]; });
                reports(checkPreviewWorkflow(noComment), /without comment-on-pr/);
                const fixed = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions").step)["stack-name"] = "${{ vars.PULUMI_ORG }}/dev"; });
                reports(checkPreviewWorkflow(fixed), /must end in \/\$\{\{ matrix\.stack \}\}/);
                const onPush = broken(preview, (c) => { c.on = { push: { branches: ["main"] } }; });
                reports(checkPreviewWorkflow(onPush), /does not run on pull_request/);
            });
        });

        describe("Pulumi job setup", () => {
            it("no kubelogin, or kubelogin before the Azure login", () => {
                const none = broken(deploy, (c) => {
                    const j = job(c, "staging");
                    j.steps = (j.steps ?? []).filter((s) => !s.uses?.startsWith("azure/use-kubelogin"));
                });
                reports(checkPulumiJobs(none), /job staging: no azure\/use-kubelogin/);
                const order = broken(preview, (c) => {
                    const steps = must(stepOf(c, "pulumi/actions").job.steps, "steps");
                    const k = steps.findIndex((s) => s.uses?.startsWith("azure/use-kubelogin"));
                    const [kubelogin] = steps.splice(k, 1);
                    steps.splice(0, 0, kubelogin);
                });
                reports(checkPulumiJobs(order), /kubelogin is installed before azure\/login/);
            });

            it("the policy pack's own npm ci missing, or Node other than 22", () => {
                const noPack = broken(deploy, (c) => {
                    const j = job(c, "dev");
                    j.steps = (j.steps ?? []).filter((s) => !s.run?.includes("--prefix policy-pack"));
                });
                reports(checkPulumiJobs(noPack), /job dev: no npm ci --prefix policy-pack/);
                const node20 = broken(preview, (c) => { inputs(stepIn(c, "preview", "actions/setup-node"))["node-version"] = 20; });
                reports(checkPulumiJobs(node20), /Node 22/);
            });

            it("an org written into the stack name", () => {
                const wf = broken(deploy, (c) => { inputs(stepIn(c, "dev", "pulumi/actions"))["stack-name"] = "acme/dev"; });
                reports(checkPulumiJobs(wf), /stack-name must be/);
            });

            it("an action on a branch instead of a version", () => {
                const wf = broken(deploy, (c) => { stepOf(c, "pulumi/actions").step.uses = "pulumi/actions@main"; });
                reports(checkPinnedActions(wf), /pulumi\/actions@main is not pinned/);
                const sha = broken(deploy, (c) => { stepOf(c, "pulumi/actions").step.uses = `pulumi/actions@${"a1".repeat(20)}`; });
                assert.deepStrictEqual(checkPinnedActions(sha), []);
            });
        });

        describe("deploy behaviour", () => {
            it("a running up cancelled by a newer run", () => {
                const inJob = broken(deploy, (c) => { job(c, "prod").concurrency = { group: "deploy-prod", "cancel-in-progress": true }; });
                reports(checkDeployWorkflow(inJob), /job prod \(prod\): cancel-in-progress would cancel/);
                const top = broken(deploy, (c) => { c.concurrency = { group: "deploy", "cancel-in-progress": true }; });
                reports(checkDeployWorkflow(top), /workflow concurrency cancels in progress/);
            });

            it("no concurrency group per stack", () => {
                const none = broken(deploy, (c) => { delete job(c, "staging").concurrency; });
                reports(checkDeployWorkflow(none), /job staging \(staging\): no concurrency group/);
                const shared = broken(deploy, (c) => { job(c, "staging").concurrency = { group: "deploy-dev" }; });
                reports(checkDeployWorkflow(shared), /not per stack/);
            });

            it("prod not waiting for staging, or staging waiting for prod", () => {
                const skip = broken(deploy, (c) => { job(c, "prod").needs = "dev"; });
                reports(checkDeployWorkflow(skip), /job prod \(prod\): does not need staging/);
                const inverted = broken(deploy, (c) => { job(c, "staging").needs = ["dev", "prod"]; job(c, "prod").needs = []; });
                const problems = checkDeployWorkflow(inverted);
                reports(problems, /job staging \(staging\): needs prod, which deploys a later stack/);
                reports(problems, /job prod \(prod\): does not need staging/);
            });

            it("two jobs swapping their stacks", () => {
                const wf = broken(deploy, (c) => {
                    inputs(stepIn(c, "dev", "pulumi/actions"))["stack-name"] = "${{ vars.PULUMI_ORG }}/staging";
                    inputs(stepIn(c, "staging", "pulumi/actions"))["stack-name"] = "${{ vars.PULUMI_ORG }}/dev";
                });
                reports(checkDeployWorkflow(wf), /environment is "(dev|staging)", expected (staging|dev)/);
            });

            it("prod without its environment (no required reviewers), or without refresh", () => {
                const noEnv = broken(deploy, (c) => { delete job(c, "prod").environment; });
                reports(checkDeployWorkflow(noEnv), /job prod \(prod\): environment is undefined, expected prod/);
                const noRefresh = broken(deploy, (c) => { inputs(stepIn(c, "dev", "pulumi/actions")).refresh = false; });
                reports(checkDeployWorkflow(noRefresh), /job dev \(dev\): pulumi up without refresh/);
            });

            it("a stack never deployed, or deployed twice", () => {
                const missing = broken(deploy, (c) => { delete c.jobs.prod; });
                reports(checkDeployWorkflow(missing), /no job runs pulumi up for prod/);
                const twice = broken(deploy, (c) => { c.jobs.prod2 = structuredClone(job(c, "prod")); });
                reports(checkDeployWorkflow(twice), /stack prod is deployed by 2 jobs/);
            });

            it("deploying on pull requests or from any branch", () => {
                const pr = broken(deploy, (c) => { c.on = { pull_request: null, push: { branches: ["main"] }, workflow_dispatch: null }; });
                reports(checkDeployWorkflow(pr), /never run on pull requests/);
                const anyBranch = broken(deploy, (c) => { c.on = { push: null, workflow_dispatch: null }; });
                reports(checkDeployWorkflow(anyBranch), /push to main only/);
            });
        });
    });
});
