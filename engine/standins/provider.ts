/**
 * Stand-in resource providers for the engine tier: what `pulumi-resource-azure-native` and
 * `pulumi-resource-kubernetes` answer when the real Pulumi engine runs the program here (no Azure,
 * no cluster, no chart registry). Built on @pulumi/pulumi's provider SDK; every value comes from
 * plan/answers.ts, the module the offline plan's mocks use too.
 *
 * What the engine does with them (pulumi/pulumi pkg/resource/plugin/provider_plugin.go, v3.276.0):
 * the provider SDK implements neither Handshake nor `supportsPreview` in Configure, so during a
 * preview the engine does not call Create; it hands the checked inputs back as the new state, and
 * the language SDK treats every output that is not an input (an ARM id's parts, clientId,
 * ipAddress, nameServers, a cluster's fqdn) as unknown. That is what the real providers report
 * before a resource exists. Create (used by `pulumi up` only) returns the same state the mocks do.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { createdResource, invokeAnswer } from "../../plan/answers";

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>` (pulumi/pulumi sdk/go/common/resource/urn.go). */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) {
        throw new Error(`not a Pulumi URN: ${JSON.stringify(urn)}`);
    }
    const typeChain = parts[2].split("$");
    return {
        stack: parts[0].slice("urn:pulumi:".length),
        project: parts[1],
        type: typeChain[typeChain.length - 1],
        name: parts.slice(3).join("::"),
    };
}

function asRecord(v: unknown): Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** JSON with sorted keys, so two property bags compare by content only. */
export function canonicalJson(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
    }
    return JSON.stringify(v) ?? "null";
}

/** Whether every value in `inputs` is in `state` (objects by key, recursively; arrays and scalars equal). */
export function containedIn(inputs: unknown, state: unknown): boolean {
    if (typeof inputs === "object" && inputs !== null && !Array.isArray(inputs)) {
        if (typeof state !== "object" || state === null || Array.isArray(state)) return false;
        const s = state as Record<string, unknown>;
        return Object.entries(inputs as Record<string, unknown>).every(([k, v]) => v === undefined || containedIn(v, s[k]));
    }
    return canonicalJson(inputs) === canonicalJson(state);
}

/** The package a provider serves: `azure-native` answers `azure-native:*` types and functions. */
export interface StandInOptions {
    pkg: "azure-native" | "kubernetes";
    /** Reported as the plugin version: the version of the SDK package the program uses. */
    version: string;
}

export function standInProvider(options: StandInOptions): provider.Provider {
    const owns = (token: string): void => {
        if (!token.startsWith(`${options.pkg}:`)) {
            throw new Error(`stand-in ${options.pkg} provider: asked for ${token}, which belongs to another package`);
        }
    };
    const where = `stand-in ${options.pkg} provider`;
    return {
        version: options.version,
        // Check echoes the inputs: the real providers also fill defaults and validate against the
        // schema; the program's own validation (components/) and the policy pack cover that here.
        check: async (urn: string, _olds: unknown, news: unknown) => {
            owns(parseUrn(urn).type);
            return { inputs: asRecord(news), failures: [] };
        },
        // The provider SDK hands Diff the old state (inputs merged with computed outputs), so a
        // change is an input not contained in that state; computed keys alone are no change.
        diff: async (_id: string, urn: string, olds: unknown, news: unknown) => {
            owns(parseUrn(urn).type);
            return { changes: !containedIn(news, olds) };
        },
        create: async (urn: string, inputs: unknown) => {
            const { type, name } = parseUrn(urn);
            owns(type);
            const created = createdResource(type, asRecord(inputs), name);
            return { id: created.id, outs: created.state };
        },
        read: async (id: string, urn: string, props: unknown) => {
            owns(parseUrn(urn).type);
            return { id, props: asRecord(props) };
        },
        update: async (_id: string, urn: string, _olds: unknown, news: unknown) => {
            const { type, name } = parseUrn(urn);
            owns(type);
            return { outs: createdResource(type, asRecord(news), name).state };
        },
        delete: async (_id: string, urn: string) => {
            owns(parseUrn(urn).type);
        },
        invoke: async (token: string, inputs: unknown) => {
            owns(token);
            return { outputs: invokeAnswer(token, asRecord(inputs), where), failures: [] };
        },
    };
}
