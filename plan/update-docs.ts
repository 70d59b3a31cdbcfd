/**
 * `npm run docs`: regenerates what the config key table and the flows produce: Pulumi.yaml's config
 * block, the stack-file JSON Schema, and the README's configuration reference and network flows.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, stackPlatformConfig } from "./stack-config";
import { CONFIG_END_MARKER, CONFIG_START_MARKER, renderConfigTable, renderStackFileSchema, replaceBetween, STACK_SCHEMA_FILE, withProjectConfig } from "./config-docs";
import { README_STACK, updateReadme } from "../components/networking/docs";

function write(rel: string, content: string): void {
    const file = path.join(REPO_ROOT, rel);
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (before === content) return;
    fs.writeFileSync(file, content);
    console.log(`updated ${rel}`);
}

write("Pulumi.yaml", withProjectConfig(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")));
write(STACK_SCHEMA_FILE, renderStackFileSchema());
const readme = path.join(REPO_ROOT, "README.md");
write("README.md", replaceBetween(fs.readFileSync(readme, "utf8"), CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable()));
updateReadme(readme, stackPlatformConfig(README_STACK));
