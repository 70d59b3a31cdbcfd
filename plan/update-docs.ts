/**
 * `npm run docs`: regenerates what the config key table, the flows and the stack files produce:
 * Pulumi.yaml's config block, the stack-file JSON Schema, and the generated blocks of
 * docs/configuration.md (every key), docs/network-flows.md (the dev stack's flows) and docs/cost.md
 * (each stack's monthly estimate). Tests fail when any of them is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, REPO_ROOT, stackPlatformConfig } from "./stack-config";
import { CONFIG_DOC_FILE, CONFIG_END_MARKER, CONFIG_START_MARKER, renderConfigTable, renderStackFileSchema, replaceBetween, STACK_SCHEMA_FILE, withProjectConfig } from "./config-docs";
import { COST_DOC_FILE, COST_END_MARKER, COST_START_MARKER, renderCostSection } from "./cost";
import { FLOWS_DOC_FILE, FLOWS_DOC_STACK, updateFlowsDoc } from "../components/networking/docs";

function read(rel: string): string {
    const file = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(file)) throw new Error(`${rel} is missing: create it with the markers its generator fills`);
    return fs.readFileSync(file, "utf8");
}

function write(rel: string, content: string): void {
    const file = path.join(REPO_ROOT, rel);
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (before === content) return;
    fs.writeFileSync(file, content);
    console.log(`updated ${rel}`);
}

write("Pulumi.yaml", withProjectConfig(read("Pulumi.yaml")));
write(STACK_SCHEMA_FILE, renderStackFileSchema());
write(CONFIG_DOC_FILE, replaceBetween(read(CONFIG_DOC_FILE), CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable()));
if (updateFlowsDoc(path.join(REPO_ROOT, FLOWS_DOC_FILE), stackPlatformConfig(FLOWS_DOC_STACK))) console.log(`updated ${FLOWS_DOC_FILE}`);
const stacks = listStacks().map((stack) => ({ stack, config: stackPlatformConfig(stack) }));
write(COST_DOC_FILE, replaceBetween(read(COST_DOC_FILE), COST_START_MARKER, COST_END_MARKER, renderCostSection(stacks)));
