/**
 * The GitHub Actions workflows do what docs/ci.md promises: every stack previewed with the policy
 * pack on pull requests, the engine tier on the official CLI without credentials, deployed dev ->
 * staging -> prod with the policies checked before each up, OIDC only (also for azure-native),
 * least permissions, every action pinned to a recorded release and given only inputs it declares.
 * Every check runs on the real files and on broken copies, so a broken workflow fails here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PINNED_ACTIONS } from "./support/action-inputs";
import {
    actionSteps,
    checkActionInputs,
    checkAzureOidcEnv,
    checkDeployWorkflow,
    checkDocsPins,
    checkEngineTier,
    checkNodeSetup,
    checkNoSecretLiterals,
    checkPermissions,
    checkPinnedActions,
    checkPolicyBeforeUp,
    checkPolicyPacks,
    checkPreviewMatrix,
    checkPreviewWorkflow,
    checkPulumiCliPin,
    checkPulumiJobs,
    checkPulumiVersionFile,
    cloneWorkflow,
    deployJobs,
    Job,
    loadWorkflow,
    parseWorkflow,
    policyConfigFor,
    PULUMI_VERSION_FILE,
    previewMatrixStacks,
    REPO_ROOT,
    resolveForStack,
    Step,
    stackFiles,
    Workflow,
    WORKFLOWS_DIR,
} from "./support/workflow-checks";

const PREVIEW_FILE = path.join(WORKFLOWS_DIR, "preview.yml");
const DEPLOY_FILE = path.join(WORKFLOWS_DIR, "deploy.yml");
const preview = loadWorkflow(PREVIEW_FILE);
const deploy = loadWorkflow(DEPLOY_FILE);
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

/** The step of job `jobId` that uses `action` (and runs `command`, when given). */
function stepIn(wf: Workflow, jobId: string, action: string, command?: string): Step {
    return must(job(wf, jobId).steps?.find((s) => s.uses?.startsWith(`${action}@`) && (command === undefined || s.with?.command === command)), `${action} ${command ?? ""} in job ${jobId}`);
}

function inputs(step: Step): Record<string, unknown> {
    return must(step.with, "step inputs");
}

function env(step: Step): Record<string, unknown> {
    return must(step.env, "step env");
}

function job(wf: Workflow, id: string): Job {
    return must(wf.jobs[id], `job ${id}`);
}

function steps(wf: Workflow, jobId: string): Step[] {
    return must(job(wf, jobId).steps, `steps of ${jobId}`);
}

/** Removes the steps of a job that match. */
function dropSteps(wf: Workflow, jobId: string, match: (s: Step) => boolean): void {
    const j = job(wf, jobId);
    j.steps = steps(wf, jobId).filter((s) => !match(s));
}

/** The workflow parsed from the file's text after `edit` (for what only the text has: comments). */
function editedFile(file: string, edit: (text: string) => string): Workflow {
    const original = fs.readFileSync(file, "utf8");
    const changed = edit(original);
    assert.notStrictEqual(changed, original, "test setup: the edit changed nothing");
    return parseWorkflow(changed, file);
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

    it("prod, and only prod, has a policy config (the one the workflows must pass)", () => {
        assert.deepStrictEqual(STACKS.map((s) => policyConfigFor(s)), [undefined, "policy-pack/config/prod.json", undefined]);
    });

    it(`${PULUMI_VERSION_FILE} names one exact Pulumi CLI release`, () => {
        assert.deepStrictEqual(checkPulumiVersionFile(fs.readFileSync(path.join(REPO_ROOT, PULUMI_VERSION_FILE), "utf8")), []);
    });

    describe("docs/ci.md", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "ci.md"), "utf8");
        const version = fs.readFileSync(path.join(REPO_ROOT, PULUMI_VERSION_FILE), "utf8");

        it("names the releases and the Pulumi CLI version the workflows pin", () => {
            assert.deepStrictEqual(checkDocsPins(doc, version), []);
        });

        it("a stale row or CLI version in the docs is caught", () => {
            reports(checkDocsPins(doc.replace("| v7.0.0 | `8e5e406f", "| v6.6.1 | `8e5e406f"), version), /pulumi\/actions is v6\.6\.1/);
            reports(checkDocsPins(doc, "3.999.0\n"), new RegExp(`names Pulumi CLI ${version.trim().replace(/\./g, "\\.")}, \\.github/pulumi-version has 3\\.999\\.0`));
            reports(checkDocsPins(doc.replace(/^\| `Azure\/login`.*\n/m, ""), version), /no row for Azure\/login/);
            reports(checkDocsPins(`${doc}\n| \`actions/cache\` | v5.0.0 | \`${"c".repeat(40)}\` |\n`, version), /lists actions\/cache, which the workflows do not pin/);
        });
    });

    for (const [name, wf, pullRequests] of [["preview.yml", preview, true], ["deploy.yml", deploy, false]] as const) {
        describe(`${name} (the real file): shared rules`, () => {
            it("applies the policy pack, with the stack's policy config, in every Pulumi command", () => {
                assert.deepStrictEqual(checkPolicyPacks(wf), []);
            });

            it("installs both packages, logs in with OIDC and kubelogin before Pulumi, with the org from a variable", () => {
                assert.deepStrictEqual(checkPulumiJobs(wf), []);
            });

            it("gives azure-native ARM_USE_OIDC and the same ids as azure/login", () => {
                assert.deepStrictEqual(checkAzureOidcEnv(wf), []);
            });

            it("has no secret in plain text and no client secret", () => {
                assert.deepStrictEqual(checkNoSecretLiterals(wf), []);
            });

            it(`asks for contents read, id-token write${pullRequests ? " and pull-requests write" : ""} only`, () => {
                assert.deepStrictEqual(checkPermissions(wf, { pullRequests }), []);
            });

            it("pins every action to the recorded release's commit, with its tag in a comment", () => {
                assert.deepStrictEqual(checkPinnedActions(wf), []);
            });

            it("gives every action only inputs its action.yml declares at that release", () => {
                assert.deepStrictEqual(checkActionInputs(wf), []);
            });

            it(`installs the Pulumi CLI from ${PULUMI_VERSION_FILE} in every pulumi/actions step`, () => {
                assert.deepStrictEqual(checkPulumiCliPin(wf), []);
                assert.ok(actionSteps(wf, "pulumi/actions").length > 0);
            });

            it("sets up Node 22 with the npm cache everywhere", () => {
                assert.deepStrictEqual(checkNodeSetup(wf), []);
            });
        });
    }

    describe("preview.yml (the real file)", () => {
        it("previews exactly the stacks in stacks/", () => {
            assert.deepStrictEqual(checkPreviewMatrix(preview, STACKS), []);
            assert.deepStrictEqual([...must(previewMatrixStacks(preview), "matrix")].sort(), STACKS);
        });

        it("runs on pull requests, cancels superseded runs, tests once, gates offline before previewing", () => {
            assert.deepStrictEqual(checkPreviewWorkflow(preview), []);
        });

        it("runs test:engine on the official CLI in a job without any credential", () => {
            assert.deepStrictEqual(checkEngineTier(preview), []);
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

        it("checks the policies (offline gate, then preview with the pack) before every up", () => {
            assert.deepStrictEqual(checkPolicyBeforeUp(deploy), []);
        });
    });

    describe("reading a workflow", () => {
        it("invalid YAML, or YAML that is not a workflow, is refused with the file's name", () => {
            assert.throws(() => parseWorkflow("jobs:\n  a: [\n", "broken.yml"), /^Error: broken\.yml: /);
            assert.throws(() => parseWorkflow("name: x\n", "nojobs.yml"), /nojobs\.yml: not a workflow \(no jobs mapping\)/);
        });

        it("keeps the comment after each uses: line, and only there", () => {
            const wf = parseWorkflow("jobs:\n  a:\n    steps:\n      - uses: o/n@x # v1.2.3\n        with: { k: v } # not a pin\n      - uses: o/m@y\n", "t.yml");
            assert.deepStrictEqual(job(wf, "a").steps?.map((st) => st.usesComment), ["v1.2.3", undefined]);
        });
    });

    describe("expressions per stack", () => {
        it("evaluates matrix.stack and the prod-only config the way GitHub does", () => {
            const configs = "${{ matrix.stack == 'prod' && 'policy-pack/config/prod.json' || '' }}";
            assert.strictEqual(resolveForStack(configs, "prod"), "policy-pack/config/prod.json");
            assert.strictEqual(resolveForStack(configs, "PROD"), "policy-pack/config/prod.json"); // == ignores case
            assert.strictEqual(resolveForStack(configs, "dev"), "");
            // `x && '' || 'b'` is 'b' even when x holds: '' is falsy.
            assert.strictEqual(resolveForStack("${{ matrix.stack == 'prod' && '' || 'other.json' }}", "prod"), "other.json");
            assert.strictEqual(resolveForStack("out/${{ matrix.stack }}/x ${{ vars.ORG }}", "dev"), "out/dev/x ${{ vars.ORG }}");
        });
    });

    describe("broken copies are caught", () => {
        describe("policy pack and policy config", () => {
            it("preview without policyPacks", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions", "preview").step).policyPacks; });
                reports(checkPolicyPacks(wf), /job preview .*without policyPacks/);
            });

            it("prod up with another policy pack path", () => {
                const wf = broken(deploy, (c) => { inputs(stepIn(c, "prod", "pulumi/actions", "up")).policyPacks = "./elsewhere"; });
                const problems = checkPolicyPacks(wf);
                reports(problems, /job prod .*without policyPacks/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });

            it("a workflow with no Pulumi command at all", () => {
                const wf = broken(deploy, (c) => {
                    for (const j of Object.values(c.jobs)) j.steps = (j.steps ?? []).filter((s) => !s.uses?.startsWith("pulumi/actions"));
                });
                reports(checkPolicyPacks(wf), /no pulumi\/actions step runs a Pulumi command/);
            });

            it("policyPackConfigs deleted from the PR preview: prod previews with default enforcement", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions", "preview").step).policyPackConfigs; });
                const problems = checkPolicyPacks(wf);
                reports(problems, /prod runs without policyPackConfigs: policy-pack\/config\/prod\.json/);
                assert.strictEqual(problems.length, 1, problems.join("\n")); // dev and staging have no config
            });

            it("the prod config given to every stack, or a condition naming another stack", () => {
                const all = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step).policyPackConfigs = "policy-pack/config/prod.json"; });
                reports(checkPolicyPacks(all), /dev gets policyPackConfigs policy-pack\/config\/prod\.json, but policy-pack\/config has no dev\.json/);
                const wrong = broken(preview, (c) => {
                    inputs(stepOf(c, "pulumi/actions", "preview").step).policyPackConfigs = "${{ matrix.stack == 'production' && 'policy-pack/config/prod.json' || '' }}";
                });
                reports(checkPolicyPacks(wrong), /prod runs without policyPackConfigs/);
            });

            it("policyPackConfigs deleted from prod's up, or from prod's preview before the up", () => {
                const up = broken(deploy, (c) => { delete inputs(stepIn(c, "prod", "pulumi/actions", "up")).policyPackConfigs; });
                reports(checkPolicyPacks(up), /job prod step \d+ \(pulumi up.*prod runs without policyPackConfigs/);
                reports(checkPolicyBeforeUp(up), /the preview before pulumi up has policyPackConfigs "policy-pack\/config\/prod\.json", the up undefined/);
                const pre = broken(deploy, (c) => { delete inputs(stepIn(c, "prod", "pulumi/actions", "preview")).policyPackConfigs; });
                reports(checkPolicyPacks(pre), /job prod step \d+ \(pulumi preview.*prod runs without policyPackConfigs/);
            });

            it("a policy config only the checks know about is still required (a new stack config file)", () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
                try {
                    fs.writeFileSync(path.join(dir, "staging.json"), "{}\n");
                    const problems = checkPolicyPacks(deploy, (s) => policyConfigFor(s, dir));
                    reports(problems, /staging runs without policyPackConfigs: policy-pack\/config\/staging\.json/);
                    reports(problems, /prod gets policyPackConfigs policy-pack\/config\/prod\.json, but policy-pack\/config has no prod\.json/);
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });

            it("a policy config or a stack name the checks cannot evaluate", () => {
                const expr = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step).policyPackConfigs = "${{ vars.POLICY_CONFIG }}"; });
                reports(checkPolicyPacks(expr), /cannot tell which policy config "\$\{\{ vars\.POLICY_CONFIG \}\}" is for dev/);
                const stack = broken(deploy, (c) => { inputs(stepIn(c, "dev", "pulumi/actions", "up"))["stack-name"] = "${{ vars.PULUMI_ORG }}/${{ vars.STACK }}"; });
                reports(checkPolicyPacks(stack), /job dev step \d+ \(pulumi up.*cannot tell which stack/);
            });

            it("the offline policy check of dev with the prod config", () => {
                const wf = broken(deploy, (c) => {
                    const check = must(steps(c, "dev").find((st) => st.run?.includes("policy -- check")), "policy check");
                    check.run = "npm run -s policy -- check out/dev/resources.json --config policy-pack/config/prod.json";
                });
                reports(checkPolicyBeforeUp(wf), /job dev: the offline policy check of dev has --config policy-pack\/config\/prod\.json, but policy-pack\/config has no dev\.json/);
            });

            it("the policy check before the offline plan that writes its input", () => {
                const wf = broken(deploy, (c) => {
                    const list = steps(c, "staging");
                    const plan = list.findIndex((st) => st.run?.startsWith("npm start"));
                    const [planStep] = list.splice(plan, 1);
                    const check = list.findIndex((st) => st.run?.includes("policy -- check"));
                    list.splice(check + 1, 0, must(planStep, "plan step"));
                });
                reports(checkPolicyBeforeUp(wf), /job staging: the policy check of staging runs before the offline plan writes its input/);
            });

            it("the offline policy check of prod without --config", () => {
                const wf = broken(preview, (c) => {
                    const check = must(stepOf(c, "pulumi/actions", "preview").job.steps?.find((s) => s.run?.includes("policy -- check")), "policy check");
                    check.run = "npm run -s policy -- check out/${{ matrix.stack }}/resources.json";
                });
                const problems = checkPreviewWorkflow(wf);
                reports(problems, /the offline policy check of prod lacks --config policy-pack\/config\/prod\.json/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });
        });

        describe("action inputs (each action's action.yml at the pinned release)", () => {
            it("a misspelt input: policyPack instead of policyPacks", () => {
                const wf = broken(deploy, (c) => {
                    const w = inputs(stepIn(c, "staging", "pulumi/actions", "up"));
                    delete w.policyPacks;
                    w.policyPack = "policy-pack";
                });
                reports(checkActionInputs(wf), /job staging step \d+ .*: policyPack is not an input of pulumi\/actions v7\.0\.0; did you mean policyPacks\?/);
                reports(checkPolicyPacks(wf), /job staging .*without policyPacks/);
            });

            it("a misspelt input added next to the right one (GitHub only warns and runs the step)", () => {
                const wf = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step).policyPackConfig = "policy-pack/config/prod.json"; });
                assert.deepStrictEqual(checkPolicyPacks(wf), []); // the real input is still there
                reports(checkActionInputs(wf), /policyPackConfig is not an input of pulumi\/actions v7\.0\.0; did you mean policyPackConfigs\?/);
            });

            it("an input of another action, for every action the workflows use", () => {
                const wrong: [string, string][] = [
                    ["actions/checkout", "persist-credential"],
                    ["actions/setup-node", "node_version"],
                    ["actions/upload-artifact", "if-no-file-found"],
                    ["azure/login", "clientId"],
                    ["azure/use-kubelogin", "version"],
                    ["pulumi/actions", "stack"],
                ];
                for (const [action, input] of wrong) {
                    const wf = broken(preview, (c) => { inputs(stepOf(c, action).step)[input] = "x"; });
                    reports(checkActionInputs(wf), new RegExp(`: ${input} is not an input of ${PINNED_ACTIONS[action].repo} ${PINNED_ACTIONS[action].tag.replace(/\./g, "\\.")}`));
                }
            });

            it("upload-artifact without its required path", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "actions/upload-artifact").step).path; });
                reports(checkActionInputs(wf), /actions\/upload-artifact v7\.0\.0 requires the input path/);
            });
        });

        describe("pinning", () => {
            it("an action on a tag or a branch instead of a commit SHA", () => {
                const tag = broken(deploy, (c) => { stepOf(c, "pulumi/actions").step.uses = "pulumi/actions@v7"; });
                reports(checkPinnedActions(tag), /pulumi\/actions@v7 is not pinned to a full commit SHA/);
                const branch = broken(preview, (c) => { stepOf(c, "azure/login").step.uses = "azure/login@master"; });
                reports(checkPinnedActions(branch), /azure\/login@master is not pinned/);
                const short = broken(preview, (c) => { stepOf(c, "actions/checkout").step.uses = "actions/checkout@3d3c42e"; });
                reports(checkPinnedActions(short), /is not pinned to a full commit SHA/);
            });

            it("a SHA that is not the recorded release's commit", () => {
                const wf = broken(deploy, (c) => { stepOf(c, "pulumi/actions").step.uses = `pulumi/actions@${"a1".repeat(20)}`; });
                reports(checkPinnedActions(wf), /is not pulumi\/actions v7\.0\.0 \(8e5e406f4007fca908480587cb9893c07090f58d\)/);
            });

            it("a missing version comment (in the file's text)", () => {
                const wf = editedFile(DEPLOY_FILE, (t) => t.replace(/(uses: azure\/login@[0-9a-f]{40}) # v3\.0\.1/, "$1"));
                const problems = checkPinnedActions(wf);
                reports(problems, /job dev step \d+ .*azure\/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca has no version comment/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });

            it("a comment that is not a version, or names another release than the SHA", () => {
                const prose = editedFile(PREVIEW_FILE, (t) => t.replace(/(uses: actions\/checkout@[0-9a-f]{40}) # v7\.0\.1/, "$1 # latest checkout"));
                reports(checkPinnedActions(prose), /actions\/checkout@[0-9a-f]{40} has no version comment/);
                const other = editedFile(PREVIEW_FILE, (t) => t.replace(/(uses: pulumi\/actions@[0-9a-f]{40}) # v7\.0\.0/, "$1 # v6.6.1"));
                reports(checkPinnedActions(other), /the comment says v6\.6\.1, but that commit is pulumi\/actions v7\.0\.0/);
            });

            it("an action with no recorded action.yml", () => {
                const wf = broken(preview, (c) => { steps(c, "test").splice(1, 0, { uses: `actions/cache@${"b".repeat(40)}`, usesComment: "v5.0.0" }); });
                reports(checkPinnedActions(wf), /no action\.yml record for actions\/cache/);
            });

            it("the Pulumi CLI unpinned, pinned inline, pinned elsewhere, or pinned twice", () => {
                const none = broken(deploy, (c) => { delete inputs(stepIn(c, "dev", "pulumi/actions", "up"))["pulumi-version-file"]; });
                reports(checkPulumiCliPin(none), /job dev .*no pulumi-version-file: \.github\/pulumi-version; .*"\^3"/);
                const inline = broken(preview, (c) => {
                    const w = inputs(stepOf(c, "pulumi/actions").step);
                    delete w["pulumi-version-file"];
                    w["pulumi-version"] = "3.274.1";
                });
                reports(checkPulumiCliPin(inline), /pulumi-version: 3\.274\.1; name the CLI in \.github\/pulumi-version only/);
                const elsewhere = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step)["pulumi-version-file"] = ".pulumi.version"; });
                reports(checkPulumiCliPin(elsewhere), /pulumi-version-file is "\.pulumi\.version", expected \.github\/pulumi-version/);
                const both = broken(deploy, (c) => { inputs(stepIn(c, "prod", "pulumi/actions", "up"))["pulumi-version"] = "3.274.1"; });
                reports(checkPulumiCliPin(both), /job prod .*pulumi-version: 3\.274\.1/);
            });

            it("a version file with a range, a word or two versions", () => {
                reports(checkPulumiVersionFile("^3\n"), /"\^3" is not an exact version/);
                reports(checkPulumiVersionFile("latest"), /"latest" is not an exact version/);
                reports(checkPulumiVersionFile("3.274\n"), /not an exact version/);
                reports(checkPulumiVersionFile("3.274.1\n3.275.0\n"), /not an exact version/);
            });

            it("kubelogin without an exact release", () => {
                const wf = broken(deploy, (c) => { inputs(stepIn(c, "staging", "azure/use-kubelogin"))["kubelogin-version"] = "latest"; });
                reports(checkPulumiJobs(wf), /job staging: kubelogin-version "latest" is not one release/);
            });
        });

        describe("azure-native OIDC (ARM_* for the Pulumi steps)", () => {
            it("a Pulumi step without ARM_USE_OIDC, or with it not \"true\"", () => {
                const none = broken(deploy, (c) => { delete env(stepIn(c, "prod", "pulumi/actions", "up")).ARM_USE_OIDC; });
                const problems = checkAzureOidcEnv(none);
                reports(problems, /job prod step \d+ \(pulumi up.*ARM_USE_OIDC is undefined, expected "true"/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
                const off = broken(preview, (c) => { env(stepOf(c, "pulumi/actions", "preview").step).ARM_USE_OIDC = "yes"; });
                reports(checkAzureOidcEnv(off), /ARM_USE_OIDC is "yes"/);
            });

            it("a Pulumi step without one of the ARM_* ids", () => {
                for (const variable of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) {
                    const wf = broken(deploy, (c) => { delete env(stepIn(c, "dev", "pulumi/actions", "preview"))[variable]; });
                    reports(checkAzureOidcEnv(wf), new RegExp(`job dev step \\d+ \\(pulumi preview.*no ${variable}`));
                }
            });

            it("an ARM_* id that names another identity than azure/login", () => {
                const wf = broken(deploy, (c) => { env(stepIn(c, "staging", "pulumi/actions", "up")).ARM_CLIENT_ID = "${{ vars.AZURE_PREVIEW_CLIENT_ID }}"; });
                reports(checkAzureOidcEnv(wf), /ARM_CLIENT_ID is \$\{\{ vars\.AZURE_PREVIEW_CLIENT_ID \}\}, but azure\/login's client-id is \$\{\{ vars\.AZURE_CLIENT_ID \}\}/);
            });

            it("the ids set for the whole job still count (job env is inherited)", () => {
                const wf = broken(deploy, (c) => {
                    const up = stepIn(c, "dev", "pulumi/actions", "up");
                    const { ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ...rest } = env(up);
                    up.env = rest;
                    job(c, "dev").env = { ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID };
                });
                assert.deepStrictEqual(checkAzureOidcEnv(wf), []);
            });

            it("a client secret or a static OIDC token that the provider would use instead", () => {
                const secret = broken(deploy, (c) => { env(stepIn(c, "prod", "pulumi/actions", "up")).ARM_CLIENT_SECRET = "${{ secrets.ARM_CLIENT_SECRET }}"; });
                reports(checkAzureOidcEnv(secret), /ARM_CLIENT_SECRET is set; azure-native would use it instead/);
                const token = broken(preview, (c) => { env(stepOf(c, "pulumi/actions", "preview").step).ARM_OIDC_TOKEN = "${{ secrets.OIDC }}"; });
                reports(checkAzureOidcEnv(token), /ARM_OIDC_TOKEN is set/);
            });
        });

        describe("policies before up (deploy)", () => {
            it("up without any policy check earlier in the same job", () => {
                const wf = broken(deploy, (c) => {
                    dropSteps(c, "staging", (s) => s.run?.startsWith("npm start") === true || s.run?.includes("policy -- check") === true || s.with?.command === "preview");
                });
                const problems = checkPolicyBeforeUp(wf);
                reports(problems, /job staging: no offline plan of staging/);
                reports(problems, /job staging: no policy check on the offline plan of staging/);
                reports(problems, /job staging: no pulumi preview with the policy pack before pulumi up \(pulumi\/actions runs up with --skip-preview/);
                assert.ok(problems.every((p) => p.startsWith("job staging")), problems.join("\n"));
            });

            it("the preview with the pack removed (the offline gate alone is not enough)", () => {
                const wf = broken(deploy, (c) => { dropSteps(c, "prod", (s) => s.with?.command === "preview"); });
                const problems = checkPolicyBeforeUp(wf);
                reports(problems, /job prod: no pulumi preview with the policy pack before pulumi up/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });

            it("the offline gate removed (the preview alone is not enough)", () => {
                const wf = broken(deploy, (c) => { dropSteps(c, "dev", (s) => s.run?.includes("policy -- check") === true); });
                const problems = checkPolicyBeforeUp(wf);
                reports(problems, /job dev: no policy check on the offline plan of dev/);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
            });

            it("the checks moved after the up, or into another job", () => {
                const after = broken(deploy, (c) => {
                    const list = steps(c, "dev");
                    const up = list.findIndex((s) => s.with?.command === "up");
                    const [upStep] = list.splice(up, 1);
                    const pre = list.findIndex((s) => s.run?.startsWith("npm start"));
                    list.splice(pre, 0, must(upStep, "up step"));
                });
                const problems = checkPolicyBeforeUp(after);
                reports(problems, /job dev: no offline plan of dev .*before pulumi up/);
                reports(problems, /job dev: no pulumi preview with the policy pack before pulumi up/);
                const elsewhere = broken(deploy, (c) => {
                    const gate = steps(c, "prod").filter((s) => s.run?.startsWith("npm start") || s.run?.includes("policy -- check"));
                    dropSteps(c, "prod", (s) => gate.includes(s));
                    c.jobs["prod-gate"] = { "runs-on": "ubuntu-latest", steps: gate };
                });
                reports(checkPolicyBeforeUp(elsewhere), /job prod: no offline plan of prod/);
            });

            it("the preview before the up of another stack, or without the pack", () => {
                const other = broken(deploy, (c) => { inputs(stepIn(c, "prod", "pulumi/actions", "preview"))["stack-name"] = "${{ vars.PULUMI_ORG }}/staging"; });
                reports(checkPolicyBeforeUp(other), /job prod: the preview before pulumi up is of \$\{\{ vars\.PULUMI_ORG \}\}\/staging/);
                const noPack = broken(deploy, (c) => { delete inputs(stepIn(c, "dev", "pulumi/actions", "preview")).policyPacks; });
                reports(checkPolicyBeforeUp(noPack), /job dev: the preview before pulumi up lacks policyPacks/);
            });

            it("an offline gate of another stack", () => {
                const wf = broken(deploy, (c) => {
                    for (const s of steps(c, "prod")) if (s.run) s.run = s.run.replace(/\bprod\b(?!\.json)/g, "staging");
                });
                reports(checkPolicyBeforeUp(wf), /job prod: no offline plan of prod/);
            });

            it("a gate that continues on error, or an up that runs after a failure", () => {
                const soft = broken(deploy, (c) => { must(steps(c, "staging").find((s) => s.run?.includes("policy -- check")), "check")["continue-on-error"] = true; });
                reports(checkPolicyBeforeUp(soft), /job staging: a step before pulumi up has continue-on-error/);
                const always = broken(deploy, (c) => { stepIn(c, "prod", "pulumi/actions", "up").if = "always()"; });
                reports(checkPolicyBeforeUp(always), /job prod: pulumi up has if: always\(\)/);
            });
        });

        describe("engine tier (preview.yml)", () => {
            it("no job runs test:engine", () => {
                const wf = broken(preview, (c) => { dropSteps(c, "engine", (s) => s.run?.includes("test:engine") === true); });
                reports(checkEngineTier(wf), /npm run test:engine must run in exactly one job, found 0/);
            });

            it("test:engine without the official CLI (AKS_PLATFORM_PULUMI_CLI unset), or before it is installed", () => {
                const unset = broken(preview, (c) => {
                    const run = must(steps(c, "engine").find((s) => s.run?.includes("test:engine")), "engine step");
                    run.run = "npm run test:engine";
                });
                reports(checkEngineTier(unset), /test:engine runs without AKS_PLATFORM_PULUMI_CLI="\$\(command -v pulumi\)"/);
                const early = broken(preview, (c) => {
                    const list = steps(c, "engine");
                    const i = list.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
                    const [install] = list.splice(i, 1);
                    list.push(must(install, "install step"));
                });
                reports(checkEngineTier(early), /no pulumi\/actions step without a command \(install only\) before test:engine/);
            });

            it("the engine job given a secret, an OIDC token, or a same-repository condition", () => {
                const token = broken(preview, (c) => {
                    const run = must(steps(c, "engine").find((s) => s.run?.includes("test:engine")), "engine step");
                    run.env = { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" };
                });
                reports(checkEngineTier(token), /job engine: reads a secret/);
                const oidc = broken(preview, (c) => { delete job(c, "engine").permissions; });
                reports(checkEngineTier(oidc), /job engine: permissions must be contents: read only/);
                const idToken = broken(preview, (c) => { job(c, "engine").permissions = { contents: "read", "id-token": "write" }; });
                reports(checkEngineTier(idToken), /permissions must be contents: read only/);
                const forksSkipped = broken(preview, (c) => { job(c, "engine").if = "github.event.pull_request.head.repo.full_name == github.repository"; });
                reports(checkEngineTier(forksSkipped), /job engine: has if: .*forks included/);
            });

            it("the project's or the pack's own install missing before test:engine", () => {
                const pack = broken(preview, (c) => { dropSteps(c, "engine", (s) => s.run?.includes("--prefix policy-pack") === true); });
                reports(checkEngineTier(pack), /no npm ci --prefix policy-pack before test:engine/);
                const root = broken(preview, (c) => { dropSteps(c, "engine", (s) => s.run === "npm ci"); });
                reports(checkEngineTier(root), /job engine: no npm ci before test:engine/);
            });

            it("a skipped install or engine step, or a Pulumi command in the engine job", () => {
                const skipped = broken(preview, (c) => {
                    must(steps(c, "engine").find((s) => s.run?.includes("test:engine")), "engine step").if = "github.event.pull_request.head.repo.fork == false";
                });
                reports(checkEngineTier(skipped), /job engine step \d+ \(npm run test:engine.*has if: .*forks included/);
                const command = broken(preview, (c) => { inputs(stepIn(c, "engine", "pulumi/actions")).command = "preview"; });
                const problems = checkEngineTier(command);
                reports(problems, /job engine: also runs a Pulumi command/);
                reports(problems, /no pulumi\/actions step without a command \(install only\)/);
            });

            it("the credentialed preview not waiting for the engine tier", () => {
                const wf = broken(preview, (c) => { job(c, "preview").needs = "test"; });
                reports(checkPreviewWorkflow(wf), /job preview: does not need the engine job engine/);
            });

            it("npm run test:engine is not counted as npm test", () => {
                const wf = broken(preview, (c) => { dropSteps(c, "test", (s) => s.run === "npm test"); });
                reports(checkPreviewWorkflow(wf), /npm test must run exactly once, found 0/);
            });
        });

        describe("stack matrix", () => {
            it("a stack in the matrix without a stack file", () => {
                const wf = broken(preview, (c) => { job(c, "preview").strategy = { matrix: { stack: ["dev", "staging", "prod", "qa"] } }; });
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
                const dropped = broken(preview, (c) => { job(c, "preview").strategy = { matrix: { stack: ["dev", "staging"] } }; });
                reports(checkPreviewMatrix(dropped, STACKS), /lacks prod/);
                const twice = broken(preview, (c) => { job(c, "preview").strategy = { matrix: { stack: ["dev", "staging", "prod", "dev"] } }; });
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
                    env(stepIn(c, "dev", "pulumi/actions", "up")).PULUMI_ACCESS_TOKEN = `pul-${"0123456789abcdef".repeat(2)}01234567`;
                });
                const problems = checkNoSecretLiterals(wf);
                reports(problems, /PULUMI_ACCESS_TOKEN: looks like a Pulumi access token/);
                reports(problems, /PULUMI_ACCESS_TOKEN: a credential must come from/);
                reports(checkPulumiJobs(wf), /PULUMI_ACCESS_TOKEN must be/);
            });

            it("a token from a plain repository variable (vars are not secret)", () => {
                const wf = broken(preview, (c) => { env(stepOf(c, "pulumi/actions", "preview").step).PULUMI_ACCESS_TOKEN = "${{ vars.PULUMI_ACCESS_TOKEN }}"; });
                reports(checkNoSecretLiterals(wf), /credential must come from/);
            });

            it("an Azure id hard-coded instead of a variable", () => {
                const wf = broken(deploy, (c) => { inputs(stepOf(c, "azure/login").step)["client-id"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"; });
                reports(checkNoSecretLiterals(wf), /client-id: must be a \$\{\{ vars\.X \}\}/);
                const arm = broken(deploy, (c) => { env(stepIn(c, "prod", "pulumi/actions", "up")).ARM_TENANT_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"; });
                reports(checkNoSecretLiterals(arm), /ARM_TENANT_ID: must be a \$\{\{ vars\.X \}\}/);
            });

            it("azure/login without its tenant", () => {
                const wf = broken(preview, (c) => { delete inputs(stepOf(c, "azure/login").step)["tenant-id"]; });
                reports(checkNoSecretLiterals(wf), /lacks tenant-id/);
            });

            it("a GitHub token pasted as github-token", () => {
                const wf = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step)["github-token"] = `ghp_${"a".repeat(36)}`; });
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

            it("permissions that are neither a mapping nor a single word", () => {
                const wf = editedFile(DEPLOY_FILE, (t) => t.replace(/^permissions:\n {2}contents: read\n {2}id-token: write\n/m, "permissions: [contents, id-token]\n"));
                reports(checkPermissions(wf, { pullRequests: false }), /workflow: permissions must be a mapping/);
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
                    steps(c, "preview").splice(3, 0, { run: "npm test" });
                    delete c.jobs.test;
                    job(c, "preview").needs = ["engine"];
                });
                reports(checkPreviewWorkflow(wf), /npm test runs in the matrix job/);
                const twice = broken(preview, (c) => { steps(c, "preview").splice(3, 0, { run: "npm test" }); });
                reports(checkPreviewWorkflow(twice), /npm test must run exactly once, found 2/);
            });

            it("no offline plan or no policy CLI on it", () => {
                const noPlan = broken(preview, (c) => { dropSteps(c, "preview", (s) => s.run?.startsWith("npm start") === true); });
                reports(checkPreviewWorkflow(noPlan), /no offline plan of dev/);
                const noCheck = broken(preview, (c) => { dropSteps(c, "preview", (s) => s.run?.includes("policy -- check") === true); });
                reports(checkPreviewWorkflow(noCheck), /no policy check on the offline plan of prod/);
            });

            it("no pulumi preview step, or two; the matrix not waiting for the tests", () => {
                const none = broken(preview, (c) => { dropSteps(c, "preview", (s) => s.with?.command === "preview"); });
                reports(checkPreviewWorkflow(none), /expected one pulumi preview step, found 0/);
                const two = broken(preview, (c) => { steps(c, "preview").push(structuredClone(stepIn(c, "preview", "pulumi/actions", "preview"))); });
                reports(checkPreviewWorkflow(two), /expected one pulumi preview step, found 2/);
                const noTest = broken(preview, (c) => { job(c, "preview").needs = ["engine"]; });
                reports(checkPreviewWorkflow(noTest), /job preview: does not need the test job test/);
            });

            it("no PR comment, no token to comment with, a fixed stack name, or not on pull requests", () => {
                const noToken = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions", "preview").step)["github-token"]; });
                reports(checkPreviewWorkflow(noToken), /pulumi preview without github-token/);
                const noComment = broken(preview, (c) => { delete inputs(stepOf(c, "pulumi/actions", "preview").step)["comment-on-pr"]; });
                reports(checkPreviewWorkflow(noComment), /without comment-on-pr/);
                const fixed = broken(preview, (c) => { inputs(stepOf(c, "pulumi/actions", "preview").step)["stack-name"] = "${{ vars.PULUMI_ORG }}/dev"; });
                reports(checkPreviewWorkflow(fixed), /must end in \/\$\{\{ matrix\.stack \}\}/);
                const onPush = broken(preview, (c) => { c.on = { push: { branches: ["main"] } }; });
                reports(checkPreviewWorkflow(onPush), /does not run on pull_request/);
            });
        });

        describe("Pulumi job setup", () => {
            it("no kubelogin, or kubelogin before the Azure login", () => {
                const none = broken(deploy, (c) => { dropSteps(c, "staging", (s) => s.uses?.startsWith("azure/use-kubelogin") === true); });
                reports(checkPulumiJobs(none), /job staging: no azure\/use-kubelogin/);
                const order = broken(preview, (c) => {
                    const list = steps(c, "preview");
                    const k = list.findIndex((s) => s.uses?.startsWith("azure/use-kubelogin"));
                    const [kubelogin] = list.splice(k, 1);
                    list.splice(0, 0, must(kubelogin, "kubelogin step"));
                });
                reports(checkPulumiJobs(order), /kubelogin is installed before azure\/login/);
            });

            it("the policy pack's own npm ci missing, or Node other than 22", () => {
                const noPack = broken(deploy, (c) => { dropSteps(c, "dev", (s) => s.run?.includes("--prefix policy-pack") === true); });
                reports(checkPulumiJobs(noPack), /job dev: no npm ci --prefix policy-pack/);
                const node20 = broken(preview, (c) => { inputs(stepIn(c, "preview", "actions/setup-node"))["node-version"] = 20; });
                reports(checkNodeSetup(node20), /job preview step \d+ .*setup-node must use Node 22, not 20/);
                const engine20 = broken(preview, (c) => { inputs(stepIn(c, "engine", "actions/setup-node"))["node-version"] = "20"; });
                reports(checkNodeSetup(engine20), /job engine step/);
            });

            it("setup-node without the npm cache", () => {
                const wf = broken(deploy, (c) => { delete inputs(stepIn(c, "prod", "actions/setup-node")).cache; });
                reports(checkNodeSetup(wf), /job prod step \d+ .*setup-node must cache npm/);
            });

            it("checkout, setup-node, npm ci or the Azure login missing before Pulumi", () => {
                const cases: [(s: Step) => boolean, RegExp][] = [
                    [(s) => s.uses?.startsWith("actions/checkout@") === true, /job prod: no actions\/checkout before Pulumi/],
                    [(s) => s.uses?.startsWith("actions/setup-node@") === true, /job prod: no actions\/setup-node before Pulumi/],
                    [(s) => s.run === "npm ci", /job prod: no npm ci before Pulumi/],
                    [(s) => s.uses?.startsWith("azure/login@") === true, /job prod: no azure\/login before Pulumi/],
                ];
                for (const [match, pattern] of cases) {
                    reports(checkPulumiJobs(broken(deploy, (c) => { dropSteps(c, "prod", match); })), pattern);
                }
            });

            it("an org written into the stack name", () => {
                const wf = broken(deploy, (c) => { inputs(stepIn(c, "dev", "pulumi/actions", "up"))["stack-name"] = "acme/dev"; });
                reports(checkPulumiJobs(wf), /stack-name must be/);
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
                reports(checkDeployWorkflow(shared), /two deploy jobs share a concurrency group/);
                const other = broken(deploy, (c) => { c.jobs.notify = { "runs-on": "ubuntu-latest", concurrency: { group: "notify", "cancel-in-progress": true }, steps: [{ run: "true" }] }; });
                reports(checkDeployWorkflow(other), /job notify: cancel-in-progress: true would cancel a running deploy/);
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
                    inputs(stepIn(c, "dev", "pulumi/actions", "up"))["stack-name"] = "${{ vars.PULUMI_ORG }}/staging";
                    inputs(stepIn(c, "staging", "pulumi/actions", "up"))["stack-name"] = "${{ vars.PULUMI_ORG }}/dev";
                });
                reports(checkDeployWorkflow(wf), /environment is "(dev|staging)", expected (staging|dev)/);
            });

            it("prod without its environment (no required reviewers), or without refresh", () => {
                const noEnv = broken(deploy, (c) => { delete job(c, "prod").environment; });
                reports(checkDeployWorkflow(noEnv), /job prod \(prod\): environment is undefined, expected prod/);
                const noRefresh = broken(deploy, (c) => { inputs(stepIn(c, "dev", "pulumi/actions", "up")).refresh = false; });
                reports(checkDeployWorkflow(noRefresh), /job dev \(dev\): pulumi up without refresh/);
            });

            it("a stack never deployed, deployed twice, or not in the promotion order", () => {
                const missing = broken(deploy, (c) => { delete c.jobs.prod; });
                reports(checkDeployWorkflow(missing), /no job runs pulumi up for prod/);
                const first = broken(deploy, (c) => { delete c.jobs.dev; });
                reports(checkDeployWorkflow(first), /job staging \(staging\): cannot follow a missing deploy/);
                const qa = broken(deploy, (c) => {
                    c.jobs.qa = structuredClone(job(c, "prod"));
                    inputs(stepIn(c, "qa", "pulumi/actions", "up"))["stack-name"] = "${{ vars.PULUMI_ORG }}/qa";
                });
                reports(checkDeployWorkflow(qa), /job qa deploys qa, which is not in the promotion order dev -> staging -> prod/);
                const twice = broken(deploy, (c) => { c.jobs.prod2 = structuredClone(job(c, "prod")); });
                reports(checkDeployWorkflow(twice), /stack prod is deployed by 2 jobs/);
            });

            it("deploying on pull requests or from any branch", () => {
                const pr = broken(deploy, (c) => { c.on = { pull_request: null, push: { branches: ["main"] }, workflow_dispatch: null }; });
                reports(checkDeployWorkflow(pr), /never run on pull requests/);
                const anyBranch = broken(deploy, (c) => { c.on = { push: null, workflow_dispatch: null }; });
                reports(checkDeployWorkflow(anyBranch), /push to main only/);
                const byHandOnly = broken(deploy, (c) => { c.on = { workflow_dispatch: null }; });
                reports(checkDeployWorkflow(byHandOnly), /deploy does not run on push/);
                const pushOnly = broken(deploy, (c) => { c.on = { push: { branches: ["main"] } }; });
                reports(checkDeployWorkflow(pushOnly), /cannot be started by hand/);
            });
        });
    });
});
