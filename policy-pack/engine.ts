/**
 * Runs the pack's rules over captured resources the way the Pulumi policy engine does:
 * resource rules once per resource (with `ResourceValidationArgs`), stack rules once over the whole
 * list (with `PolicyResource`s whose parent and dependencies point at each other), props wrapped in
 * `@pulumi/policy`'s `unknownCheckingProxy`, enforcement levels from the policy config, an
 * `UnknownValueError` turned into an advisory "could not decide" finding, and `notApplicable()`
 * recorded, not reported. The CLI, the tests, the mutation suite and the benchmark all use this.
 *
 * The policy config is read, reconciled and validated as the Pulumi CLI does before it starts a
 * pack (github.com/pulumi/pulumi/pkg/v3 v3.274.1, pkg/resource/analyzer/config.go: parsePolicyConfigs,
 * extractEnforcementLevel, ReconcilePolicyPackConfig, validatePolicyConfig; valid levels from
 * pulumi-cloud-sdk apitype/app_enforcement_level_.go): a bad enforcement level or a value its rule's
 * configSchema refuses is an error before any rule runs.
 */
import {
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import type { PlanResource } from "./plan-resource";
import { policies as allPolicies } from "./rules";
import { isStackPolicy, isUnknownError, PackPolicy, pulumiTypeOfValidation } from "./rules/lib/rule";

export interface Finding {
    policy: string;
    displayName: string;
    severity: Severity;
    /** What the engine would do: mandatory blocks the update; undecided findings are always advisory. */
    enforcementLevel: "advisory" | "mandatory";
    message: string;
    /** The resource the finding is about (stack rules may report on the stack as a whole). */
    urn?: string;
    resourceType?: string;
    resourceName?: string;
    remediation: string;
    url: string;
    /** True when the rule could not decide (values unknown at preview), not a violation. */
    undecided: boolean;
}

export interface NotApplicable {
    policy: string;
    urn?: string;
    reason: string;
}

export interface EngineResult {
    findings: Finding[];
    notApplicable: NotApplicable[];
}

/** Pulumi's policy config file: `{ "<policy>": "<level>" | { enforcementLevel?, ...config }, "all": ... }`. */
export type PolicyConfigFile = Record<string, unknown>;

export interface EngineOptions {
    policyConfig?: PolicyConfigFile;
    /** Defaults to every rule of the pack. */
    policies?: readonly PackPolicy[];
    stackTags?: ReadonlyMap<string, string>;
}

class NotApplicableSignal extends Error {
    constructor(readonly reason: string) {
        super(`not applicable: ${reason}`);
    }
}

/** The levels the CLI accepts (pulumi-cloud-sdk apitype AppEnforcementLevel.IsValid). */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy config the Pulumi CLI would refuse: every problem, each naming the policy, the key and the value. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid policy config:\n  ${problems.join("\n  ")}`);
        this.name = "PolicyConfigError";
    }
}

/** One policy's entry after parsing: its level (when set) and its other keys. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/**
 * A config file as the CLI parses it (config.go parsePolicyPackConfig / parsePolicyConfigs): every
 * key names a policy (or `all`); its value is an enforcement level or an object with an optional
 * `enforcementLevel`. A numeric `version` must be 2, with the policies under `policies`. ESC
 * `environments` and policy `exceptions` need the CLI and a backend, so they are refused here.
 */
export function parsePolicyConfig(raw: unknown): Map<string, PolicyConfigEntry> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new PolicyConfigError([`the file must be a JSON object keyed by policy name, not ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`]);
    let entries = raw as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof entries.version === "number") {
        if (entries.version > 2) throw new PolicyConfigError([`"version": ${entries.version} isn't supported (the CLI reads version 2)`]);
        if (entries.version !== 2) throw new PolicyConfigError([`"version" must be 2, not ${entries.version}`]);
        if (entries.exceptions !== undefined && entries.exceptions !== null) problems.push(`"exceptions": policy exceptions are applied by the Pulumi CLI; run pulumi preview to use them (policy check does not)`);
        const policies = entries.policies ?? {};
        if (typeof policies !== "object" || policies === null || Array.isArray(policies)) throw new PolicyConfigError([`"policies" must be an object keyed by policy name`]);
        if (entries.environments !== undefined) problems.push(`"environments": ESC environments are resolved by the Pulumi CLI and a backend; policy check cannot read them`);
        entries = policies as Record<string, unknown>;
    } else if (entries.environments !== undefined) {
        problems.push(`"environments": ESC environments are resolved by the Pulumi CLI and a backend; policy check cannot read them`);
        entries = Object.fromEntries(Object.entries(entries).filter(([k]) => k !== "environments"));
    }
    const out = new Map<string, PolicyConfigEntry>();
    for (const [name, value] of Object.entries(entries)) {
        if (typeof value === "string") {
            if (!isLevel(value)) problems.push(`${name}: enforcement level ${JSON.stringify(value)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
            else out.set(name, { enforcementLevel: value, properties: {} });
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
                problems.push(`${name}: enforcementLevel = ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
                continue;
            }
            out.set(name, { ...(enforcementLevel !== undefined ? { enforcementLevel } : {}), properties: JSON.parse(JSON.stringify(properties)) as Record<string, unknown> });
        } else {
            problems.push(`${name}: ${JSON.stringify(value)} is not a valid value; it must be an enforcement level or an object`);
        }
    }
    if (problems.length > 0) throw new PolicyConfigError(problems);
    return out;
}

/** What the CLI hands each policy: its level and its config (schema defaults, then the file's keys). */
export interface ReconciledConfig {
    levels: Map<string, EnforcementLevel>;
    config: Map<string, Record<string, unknown>>;
    /** Policy names the file sets that the pack does not have (the CLI accepts them; they configure nothing). */
    unknownPolicies: string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<PackPolicy, ValidateFunction>();

function validatorOf(p: PackPolicy): ValidateFunction | undefined {
    if (!p.configSchema) return undefined;
    let v = validators.get(p);
    if (!v) {
        // The CLI validates {type: object, properties, required} (config.go convertSchema).
        v = ajv.compile({ type: "object", ...(p.configSchema.properties ? { properties: p.configSchema.properties } : {}), ...(p.configSchema.required?.length ? { required: p.configSchema.required } : {}) });
        validators.set(p, v);
    }
    return v;
}

function valueAt(data: unknown, pointer: string): unknown {
    let cur = data;
    for (const part of pointer.split("/").slice(1).map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"))) {
        cur = typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
    }
    return cur;
}

function describeSchemaError(policy: string, data: unknown, e: ErrorObject): string {
    const key = e.instancePath.slice(1).replace(/\//g, ".");
    if (e.keyword === "required") return `${policy}: ${key ? `${key}.` : ""}${String((e.params as { missingProperty?: string }).missingProperty)} is required`;
    const allowed = e.keyword === "enum" ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((x) => JSON.stringify(x)).join(", ")})` : "";
    return `${policy}: ${key} = ${JSON.stringify(valueAt(data, e.instancePath))}: ${e.message ?? "is invalid"}${allowed}`;
}

/**
 * Defaults, then `all`, then each policy's entry, validated against each policy's configSchema, as
 * the CLI's ReconcilePolicyPackConfig does; throws PolicyConfigError with every problem.
 */
export function reconcilePolicyConfig(policies: readonly PackPolicy[], raw: PolicyConfigFile = {}): ReconciledConfig {
    const parsed = parsePolicyConfig(raw);
    const all = parsed.get("all")?.enforcementLevel;
    const levels = new Map<string, EnforcementLevel>();
    const config = new Map<string, Record<string, unknown>>();
    const problems: string[] = [];
    for (const p of policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ((schema as { default?: unknown }).default !== undefined) defaults[k] = JSON.parse(JSON.stringify((schema as { default?: unknown }).default)) as unknown;
        }
        const entry = parsed.get(p.name);
        levels.set(p.name, entry?.enforcementLevel ?? all ?? p.enforcementLevel);
        const props = { ...defaults, ...(entry?.properties ?? {}) };
        config.set(p.name, props);
        const validate = validatorOf(p);
        if (validate && !validate(props)) problems.push(...(validate.errors ?? []).map((e) => describeSchemaError(p.name, props, e)));
    }
    if (problems.length > 0) throw new PolicyConfigError(problems);
    const names = new Set(policies.map((p) => p.name));
    return { levels, config, unknownPolicies: [...parsed.keys()].filter((k) => k !== "all" && !names.has(k)) };
}

function pulumiTypeOf(cls: unknown): string | undefined {
    const t = (cls as { __pulumiType?: unknown }).__pulumiType;
    return typeof t === "string" ? t : undefined;
}

function optionsOf(r: PlanResource): PolicyResourceOptions {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

type Props = Record<string, unknown>;

/** Props as the runtime hands them over: a private copy behind the unknown-checking proxy. */
function wrap(props: Props): Props {
    return unknownCheckingProxy(JSON.parse(JSON.stringify(props ?? {}))) as Props;
}

/** Stack resources linked like the engine links them (parent, dependencies, propertyDependencies). */
export function toPolicyResources(resources: readonly PlanResource[], wrapped?: readonly Props[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const out = resources.map((r, i) => {
        const type = r.type;
        const props = wrapped?.[i] ?? wrap(r.props);
        const pr: PolicyResource = {
            type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => pulumiTypeOf(cls) === type,
            asType: ((cls: unknown) => (pulumiTypeOf(cls) === type ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = out[i];
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) pr.parent = parent;
        pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        }
    });
    return out;
}

function describeError(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

/**
 * Runs every (enabled) rule over the resources. A rule's unknowns become undecided findings; a
 * policy config the CLI would refuse throws PolicyConfigError; any other error of a rule throws.
 */
export async function runPolicies(resources: readonly PlanResource[], options: EngineOptions = {}): Promise<EngineResult> {
    const policies = options.policies ?? allPolicies;
    const reconciled = reconcilePolicyConfig(policies, options.policyConfig ?? {});
    const stackTags = options.stackTags ?? new Map<string, string>();
    const findings: Finding[] = [];
    const notApplicable: NotApplicable[] = [];
    const notApplicableFn = (reason?: string): never => {
        throw new NotApplicableSignal(reason ?? "");
    };
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const finding = (p: PackPolicy, level: EnforcementLevel, message: string, urn: string | undefined, undecided: boolean): Finding => {
        const r = urn ? byUrn.get(urn) : undefined;
        return {
            policy: p.name,
            displayName: p.displayName,
            severity: p.severity,
            enforcementLevel: undecided || level !== "mandatory" && level !== "remediate" ? "advisory" : "mandatory",
            message,
            urn,
            resourceType: r?.type,
            resourceName: r?.name,
            remediation: p.remediationSteps,
            url: p.url,
            undecided,
        };
    };
    // One wrapped copy per resource, shared by the rules (the runtime makes one per call; rules never write).
    const wrapped = resources.map((r) => ({ r, props: wrap(r.props) }));
    let stackResources: PolicyResource[] | undefined;

    for (const p of policies) {
        const level = reconciled.levels.get(p.name) ?? p.enforcementLevel;
        if (level === "disabled") continue;
        const config = reconciled.config.get(p.name) ?? {};
        if (isStackPolicy(p)) {
            stackResources ??= toPolicyResources(resources, wrapped.map((w) => w.props));
            const args: StackValidationArgs = {
                resources: stackResources,
                stackTags,
                getConfig: <T extends object>() => config as T,
                notApplicable: notApplicableFn,
            };
            try {
                await p.validateStack(args, (message, urn) => findings.push(finding(p, level, message, urn, false)));
            } catch (e) {
                if (e instanceof NotApplicableSignal) notApplicable.push({ policy: p.name, reason: e.reason });
                else if (isUnknownError(e)) findings.push(finding(p, level, `can't fully run ${p.name} during preview: ${describeError(e)}`, undefined, true));
                else throw new Error(`policy ${p.name} failed on the stack: ${describeError(e)}`);
            }
            continue;
        }
        const validations = p.validateResource === undefined ? [] : Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
        // A single validation for one type skips the others unread, as @pulumi/policy's server does.
        const onlyType = !Array.isArray(p.validateResource) ? pulumiTypeOfValidation(p.validateResource) : undefined;
        for (const { r, props } of wrapped) {
            if (onlyType !== undefined && r.type !== onlyType) {
                notApplicable.push({ policy: p.name, urn: r.urn, reason: `Policy only applies to resources of type '${onlyType}'` });
                continue;
            }
            const args: ResourceValidationArgs = {
                type: r.type,
                props,
                urn: r.urn,
                name: r.name,
                opts: optionsOf(r),
                stackTags,
                isType: (cls) => pulumiTypeOf(cls) === r.type,
                asType: ((cls: unknown) => (pulumiTypeOf(cls) === r.type ? props : undefined)) as ResourceValidationArgs["asType"],
                getConfig: <T extends object>() => config as T,
                notApplicable: notApplicableFn,
            };
            for (const validate of validations) {
                try {
                    // Await only real promises: a microtask per resource and rule adds up on big stacks.
                    const pending = validate(args, (message) => findings.push(finding(p, level, message, r.urn, false)));
                    if (pending instanceof Promise) await pending;
                } catch (e) {
                    if (e instanceof NotApplicableSignal) notApplicable.push({ policy: p.name, urn: r.urn, reason: e.reason });
                    else if (isUnknownError(e)) findings.push(finding(p, level, `can't fully run ${p.name} during preview: ${describeError(e)}`, r.urn, true));
                    else throw new Error(`policy ${p.name} failed on ${r.urn}: ${describeError(e)}`);
                }
            }
        }
    }
    return { findings, notApplicable };
}

/** Findings that would block `pulumi up`. */
export function mandatoryViolations(result: EngineResult): Finding[] {
    return result.findings.filter((f) => f.enforcementLevel === "mandatory" && !f.undecided);
}
